// The main window: toolbar, error banner, the queue beside the settings/model panels, and at
// the bottom the stem preview mixer (StemDeck.Preview) and the live profiling panel
// (StemDeck.Profiling) as two tabs. A job that finishes, or a finished job the user picks,
// opens in the preview. Files dropped anywhere on the window are queued.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import StemDeck.Ui
import StemDeck.Preview
import StemDeck.Profiling

ApplicationWindow {
    id: window

    required property AppController controller

    width: 1180
    height: 720
    minimumWidth: 900
    minimumHeight: 560
    visible: true
    title: qsTr("StemDeck")
    color: Theme.window

    palette.window: Theme.window
    palette.base: Theme.panel
    palette.alternateBase: Theme.window
    palette.button: Theme.panel
    palette.mid: Theme.border
    palette.highlight: Theme.accent
    palette.placeholderText: Theme.mutedText
    // Text per colour group: a role set without a group (palette.text) sets every group, the
    // disabled one included, and a disabled Start, Export or Play looked exactly like an enabled
    // one. (Setting the disabled group beside it is not enough: the two bindings run in no fixed
    // order, and each change of theme runs them again.)
    palette.active.text: Theme.text
    palette.active.windowText: Theme.text
    palette.active.buttonText: Theme.text
    palette.inactive.text: Theme.text
    palette.inactive.windowText: Theme.text
    palette.inactive.buttonText: Theme.text
    palette.disabled.text: Theme.disabledText
    palette.disabled.windowText: Theme.disabledText
    palette.disabled.buttonText: Theme.disabledText

    Binding { target: Theme; property: "dark"; value: window.controller.dark }

    header: Toolbar {
        controller: window.controller
        onOpenRequested: openDialog.open()
        onOpenFolderRequested: addFolderDialog.open()
        onAboutRequested: aboutDialog.open()
        onQueueFocusRequested: queuePanel.focusQueue()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ErrorBanner {
            Layout.fillWidth: true
            banner: window.controller.errors
        }

        SplitView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            JobListPanel {
                id: queuePanel
                SplitView.fillWidth: true
                SplitView.minimumWidth: 420
                jobs: window.controller.jobs
                demoFile: window.controller.demoFile
                onOpenRequested: openDialog.open()
                onDemoRequested: window.controller.separateDemo()
                onJobClicked: row => {
                    window.controller.previewJob(row)
                    bottomTabs.currentIndex = 0
                }
            }

            ColumnLayout {
                SplitView.preferredWidth: 420
                SplitView.minimumWidth: 360
                spacing: 0

                TabBar {
                    id: sideTabs
                    objectName: "sideTabs"
                    Layout.fillWidth: true
                    TabButton { text: qsTr("Settings"); Accessible.name: text }
                    TabButton { text: qsTr("Models"); Accessible.name: text }
                }
                StackLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    currentIndex: sideTabs.currentIndex
                    SettingsPanel {
                        controller: window.controller
                        onChooseDestination: folderDialog.open()
                    }
                    ModelPanel { controller: window.controller }
                }
            }
        }

        TabBar {
            id: bottomTabs
            objectName: "bottomTabs"
            Layout.fillWidth: true
            TabButton { objectName: "previewTab"; text: qsTr("Preview"); Accessible.name: text }
            TabButton { objectName: "profileTab"; text: qsTr("Profile"); Accessible.name: text }
        }
        StackLayout {
            objectName: "previewSlot"
            Layout.fillWidth: true
            Layout.fillHeight: false
            // The queue and settings above keep what they need (about 560 px); a taller window
            // gives the rest to the preview and the profile, which read better with room. Empty
            // (no stems loaded, no job profiled), the slot takes only its panel's own height, and
            // the queue and settings get the rest.
            readonly property bool empty: bottomTabs.currentIndex === 0
                ? stemPreview.preview.status === StemPreview.Empty
                : window.controller.profile.eventCount === 0
            Layout.preferredHeight: empty
                ? Math.min(Math.max(320, window.height - 560),
                           (bottomTabs.currentIndex === 0 ? stemPreview.implicitHeight : profilingPanel.implicitHeight) + 4)
                : Math.max(320, window.height - 560)
            currentIndex: bottomTabs.currentIndex
            // Both panels are taller than the slot with a few stems or notices: they scroll.
            ScrollView {
                id: previewScroll
                clip: true
                contentWidth: availableWidth
                StemPreviewPanel {
                    id: stemPreview
                    objectName: "stemPreview"
                    width: previewScroll.availableWidth
                    property string trackName: ""
                    property string exportFolder: ""
                    exportPath: trackName === "" || exportFolder === "" ? ""
                        : exportFolder + "/" + trackName + "-mix.wav"
                }
            }
            ScrollView {
                id: profileScroll
                clip: true
                contentWidth: availableWidth
                ProfilingPanel {
                    id: profilingPanel
                    objectName: "profilingPanel"
                    width: profileScroll.availableWidth
                    model: window.controller.profile
                    exportPathFor: kind => window.controller.profileExportPath(kind)
                }
            }
        }
    }

    DropOverlay {
        anchors.fill: parent
        onFilesDropped: urls => window.controller.addUrls(urls)
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open audio files")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Audio files (%1)").arg(window.controller.audioNameFilters.join(" ")),
                      qsTr("All files (*)")]
        onAccepted: window.controller.addUrls(selectedFiles)
    }

    // Folders could only be dropped; the file dialog picks files. A folder's audio files are
    // added as a drop of it would add them (subfolders included).
    FolderDialog {
        id: addFolderDialog
        objectName: "addFolderDialog"
        title: qsTr("Add a folder of audio files")
        onAccepted: window.controller.addUrls([selectedFolder])
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Choose the export folder")
        onAccepted: window.controller.settings.setDestinationUrl(selectedFolder)
    }

    Connections {
        target: window.controller
        function onChooseDestinationRequested() { folderDialog.open() }
        function onPreviewRequested(outputFolder, stemFiles, inputFile, mixFolder, automatic) {
            // A job that just finished does not interrupt what the user is listening to: it
            // stays one click away in the queue.
            if (automatic && stemPreview.preview.playing)
                return
            const base = inputFile.substring(inputFile.lastIndexOf("/") + 1)
            const dot = base.lastIndexOf(".")
            stemPreview.trackName = dot > 0 ? base.substring(0, dot) : base
            stemPreview.exportFolder = mixFolder
            if (stemFiles.length > 0)
                stemPreview.preview.loadFiles(stemFiles, inputFile)
            else
                stemPreview.preview.loadFolder(outputFolder, inputFile)
        }
    }

    AboutDialog {
        id: aboutDialog
        controller: window.controller
        anchors.centerIn: parent
    }

    UnsupportedFilesDialog {
        objectName: "unsupportedFilesDialog"
        controller: window.controller
        anchors.centerIn: parent
    }

    Shortcut { sequence: StandardKey.Open; onActivated: openDialog.open() }
    Shortcut { sequence: "Ctrl+Shift+O"; onActivated: addFolderDialog.open() }
    Shortcut { sequences: ["Ctrl+Return", "Ctrl+Enter"]; onActivated: window.controller.start() }
    // Cancelling every job takes a deliberate chord: Esc alone, pressed to leave a field, once
    // stopped every running separation. Esc dismisses the error banner.
    Shortcut { sequence: "Ctrl+Shift+X"; onActivated: window.controller.cancelAll() }
    Shortcut {
        sequence: "Esc"
        enabled: window.controller.errors.visible
        onActivated: window.controller.errors.dismiss()
    }
    Shortcut { sequence: "Ctrl+E"; onActivated: window.controller.exportAll() }
    // Space plays and pauses the preview from anywhere in the window, except where Space has a
    // job of its own: typing in a text field, pressing a focused button or opening a combo box.
    Shortcut {
        objectName: "playShortcut"
        sequence: "Space"
        enabled: window.spaceFree()
        onActivated: stemPreview.preview.togglePlayback()
    }
    // Whether a preview key is free: the stems are loaded and the focused item has no use of its
    // own for the key. Text fields, and combo and spin boxes, which take typing, keep every key;
    // `alsoTaken` names the properties of items that keep this one too.
    function previewKeyFree(alsoTaken) {
        const item = window.activeFocusItem
        const taken = ["cursorPosition", "editable"].concat(alsoTaken)
        return stemPreview.preview.status === StemPreview.Ready && !(item && taken.some(p => p in item))
    }
    // Space: not where a focused button, check box or tab presses with it.
    function spaceFree() { return previewKeyFree(["checkable"]) }
    // Left and Right move the preview's playhead by 5 s, where the arrows have no job of their
    // own (buttons and tabs, sliders and lists keep them).
    function arrowsFree() { return previewKeyFree(["checkable", "stepSize", "keyNavigationEnabled"]) }
    Shortcut {
        objectName: "seekBackShortcut"
        sequence: "Left"
        enabled: window.arrowsFree()
        onActivated: stemPreview.preview.seek(Math.max(0, stemPreview.preview.position - 5))
    }
    Shortcut {
        objectName: "seekForwardShortcut"
        sequence: "Right"
        enabled: window.arrowsFree()
        onActivated: stemPreview.preview.seek(Math.min(stemPreview.preview.duration, stemPreview.preview.position + 5))
    }
    // I and O set the preview loop's in and out points at the playhead, as audio editors do
    // (a drag across a waveform sets both with the mouse); only typing keeps the letters.
    Shortcut {
        objectName: "loopInShortcut"
        sequence: "I"
        enabled: window.previewKeyFree([])
        onActivated: stemPreview.preview.setLoopStartAt(stemPreview.preview.position)
    }
    Shortcut {
        objectName: "loopOutShortcut"
        sequence: "O"
        enabled: window.previewKeyFree([])
        onActivated: stemPreview.preview.setLoopEndAt(stemPreview.preview.position)
    }
    Shortcut { sequence: StandardKey.Quit; onActivated: window.close() }
}
