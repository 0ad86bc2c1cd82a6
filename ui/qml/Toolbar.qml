// The tool bar: the four main actions with their shortcuts, the chosen model, and About.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

ToolBar {
    id: bar

    required property AppController controller
    signal openRequested()
    signal openFolderRequested()
    signal aboutRequested()
    // The keyboard was on Start or Cancel all when it stopped applying: the queue takes it.
    signal queueFocusRequested()

    // A button the keyboard is on that turns disabled (Start once the files are queued, Cancel
    // all once nothing runs) hands the keyboard to the queue instead of dropping it at the
    // window's root. Not to the other button: a second Space would then cancel or start again.
    // After a mouse click the keyboard is not moved into the queue (there is no focus frame to
    // follow, and Space keeps playing the preview).
    component HandOverButton: ToolButton {
        property bool keyboardFocus: false
        onActiveFocusChanged: {
            if (activeFocus)
                keyboardFocus = visualFocus
            else if (!enabled && keyboardFocus) {
                keyboardFocus = false
                Qt.callLater(bar.queueFocusRequested)
            }
        }
    }

    background: Rectangle { color: Theme.panel; border.color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.spacing

        ToolButton {
            objectName: "openButton"
            text: qsTr("Open…")
            Accessible.name: qsTr("Open audio files")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Open audio files (Ctrl+O)")
            onClicked: bar.openRequested()
        }
        ToolButton {
            objectName: "openFolderButton"
            text: qsTr("Add folder…")
            Accessible.name: qsTr("Add a folder of audio files")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Add every audio file in a folder and its subfolders (Ctrl+Shift+O)")
            onClicked: bar.openFolderRequested()
        }
        HandOverButton {
            objectName: "startButton"
            text: qsTr("Start")
            enabled: bar.controller.canStart
            highlighted: enabled
            Accessible.name: qsTr("Start separating")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Separate the ready files (Ctrl+Return)")
            onClicked: bar.controller.start()
        }
        HandOverButton {
            objectName: "cancelButton"
            text: qsTr("Cancel all")
            enabled: bar.controller.jobs.activeCount > 0
            Accessible.name: qsTr("Cancel all jobs")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Cancel queued and running jobs (Ctrl+Shift+X)")
            onClicked: bar.controller.cancelAll()
        }
        ToolButton {
            objectName: "exportButton"
            text: qsTr("Export")
            enabled: bar.controller.jobs.unexportedCount > 0
            Accessible.name: qsTr("Export finished jobs")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Export finished jobs that are not exported yet (Ctrl+E)")
            onClicked: bar.controller.exportAll()
        }

        Item { Layout.fillWidth: true }

        Label {
            text: bar.controller.models.currentName.length > 0
                  ? qsTr("Model: %1").arg(bar.controller.models.currentName)
                  : qsTr("No model chosen")
            color: Theme.mutedText
            elide: Text.ElideMiddle
            Layout.maximumWidth: 320
        }
        ToolButton {
            objectName: "aboutButton"
            text: qsTr("About")
            Accessible.name: qsTr("About StemDeck")
            onClicked: bar.aboutRequested()
        }
    }
}
