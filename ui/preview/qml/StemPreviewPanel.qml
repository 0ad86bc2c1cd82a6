// The stem preview: a transport bar, one waveform row per stem (mute / solo / volume) plus the
// original mix for A/B. Click a waveform to seek, drag to select a loop; Space toggles playback,
// Left/Right seek and I/O set the loop's ends (Main.qml, docs/keyboard.md).
// All rules (solo wins, loop, export) live in the StemPreview view-model.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Preview

FocusScope {
    id: root
    property StemPreview preview: StemPreview {}
    property string exportPath: ""
    property string lastExportMessage: ""
    readonly property var stemColors: ["#e0785a", "#5fb36b", "#4f9dde", "#c27ad6", "#d9b44a", "#59c2c0"]
    implicitWidth: 900
    implicitHeight: column.implicitHeight + 24
    focus: true

    Keys.onSpacePressed: (event) => { root.preview.togglePlayback(); event.accepted = true }

    Connections {
        target: root.preview
        // The note says what the export changed: the level lowered so the mix does not clip, a
        // new name beside an existing file.
        function onExportFinished(path, note) {
            root.lastExportMessage = note.indexOf("rescaled") >= 0 || note.indexOf("saved as") >= 0
                ? qsTr("Exported %1 (%2)").arg(path).arg(note) : qsTr("Exported %1").arg(path)
        }
        function onExportFailed(message) { root.lastExportMessage = message }
    }

    function timeText(s) {
        const m = Math.floor(s / 60)
        const sec = s - m * 60
        return m + ":" + (sec < 10 ? "0" : "") + sec.toFixed(2)
    }

    Rectangle { anchors.fill: parent; color: "#1e2227"; radius: 6 }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            spacing: 8
            Button {
                objectName: "playButton"
                text: root.preview.playing ? qsTr("Pause") : qsTr("Play")
                enabled: root.preview.status === StemPreview.Ready
                onClicked: root.preview.togglePlayback() // Space on it plays and pauses too
            }
            Label {
                objectName: "timeLabel"
                color: "#e6e6e6"
                font.family: "monospace"
                text: root.timeText(root.preview.position) + " / " + root.timeText(root.preview.duration)
            }
            Button {
                objectName: "clearLoopButton"
                text: qsTr("Clear loop")
                visible: root.preview.looping
                onClicked: root.preview.clearLoop()
            }
            Label {
                visible: root.preview.looping
                color: "#f0c75e"
                text: qsTr("Loop %1 - %2").arg(root.timeText(root.preview.loopStart)).arg(root.timeText(root.preview.loopEnd))
            }
            Item { Layout.fillWidth: true }
            Switch {
                objectName: "abSwitch"
                enabled: root.preview.hasOriginal
                checked: root.preview.playOriginal
                onToggled: root.preview.playOriginal = checked
                Accessible.name: qsTr("Play the original mix (A/B)")
            }
            Label {
                text: qsTr("Original (A/B)")
                color: root.preview.hasOriginal ? "#e6e6e6" : "#6b737b"
            }
            Button {
                objectName: "exportButton"
                text: qsTr("Export all but muted")
                enabled: root.preview.status === StemPreview.Ready && !root.preview.exporting && root.exportPath !== ""
                onClicked: root.preview.exportAudible(root.exportPath)
            }
        }

        Label {
            objectName: "audioMessage"
            visible: !root.preview.audioAvailable
            text: root.preview.audioMessage
            color: "#f0a35e"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        // Before any stems: where they come from.
        Label {
            objectName: "noStemsYet"
            visible: root.preview.status === StemPreview.Empty
            text: qsTr("A finished job opens here: click it in the queue to hear its stems.")
            color: "#9aa4ae"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            visible: root.preview.status === StemPreview.Loading || root.preview.status === StemPreview.Error
            text: root.preview.status === StemPreview.Loading ? qsTr("Loading stems...") : root.preview.errorMessage
            color: root.preview.status === StemPreview.Error ? "#ff6b6b" : "#e6e6e6"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        // Mute and solo: a pressed toggle is filled with its own colour (mute red, solo yellow), so
        // a muted or soloed stem is seen at a glance (the style's checked grey barely showed).
        component StemToggle: Button {
            id: toggle
            property color onColor: "#d9534f"
            checkable: true
            implicitWidth: 34
            background: Rectangle {
                implicitHeight: 26
                radius: 3
                color: toggle.checked ? toggle.onColor : toggle.down ? "#3a4048" : "#2b3037"
                // Keyboard focus shows as a white ring.
                border.width: toggle.visualFocus ? 2 : 1
                border.color: toggle.visualFocus ? "#ffffff" : toggle.checked ? toggle.onColor : "#59616b"
            }
            contentItem: Label {
                text: toggle.text
                color: toggle.checked ? "#15181c" : "#e6e6e6"
                font.bold: toggle.checked
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
        }

        component TrackRow: RowLayout {
            id: row
            property int track: 0
            property string name: ""
            property bool muted: false
            property bool solo: false
            property bool audible: true
            property real volume: 1.0
            property color color: "#4f9dde"
            property bool isOriginal: false
            spacing: 8
            Layout.fillWidth: true

            ColumnLayout {
                // Fixed: a fill-width child would otherwise make this column compete with the waveform.
                Layout.fillWidth: false
                Layout.preferredWidth: 190
                Layout.maximumWidth: 190
                spacing: 2
                Label { text: row.name; color: "#e6e6e6"; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                RowLayout {
                    visible: !row.isOriginal
                    spacing: 4
                    StemToggle {
                        objectName: "mute_" + row.name
                        //: One-letter label of the mute button of a stem
                        text: qsTr("M"); checked: row.muted
                        Accessible.name: qsTr("Mute %1").arg(row.name)
                        ToolTip.visible: hovered; ToolTip.text: Accessible.name
                        onToggled: root.preview.setMuted(row.track, checked)
                    }
                    StemToggle {
                        objectName: "solo_" + row.name
                        onColor: "#e8c547"
                        //: One-letter label of the solo button of a stem
                        text: qsTr("S"); checked: row.solo
                        Accessible.name: qsTr("Solo %1").arg(row.name)
                        ToolTip.visible: hovered; ToolTip.text: Accessible.name
                        onToggled: root.preview.setSolo(row.track, checked)
                    }
                    Slider {
                        from: 0; to: 2; value: row.volume
                        Accessible.name: qsTr("Volume of %1").arg(row.name)
                        Layout.preferredWidth: 100
                        onMoved: root.preview.setVolume(row.track, value)
                    }
                }
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: 64
                color: "#15181c"
                radius: 3
                opacity: row.isOriginal ? (root.preview.playOriginal ? 1.0 : 0.55) : (row.audible && !root.preview.playOriginal ? 1.0 : 0.35)
                Waveform {
                    id: wave
                    objectName: "waveform_" + row.name
                    anchors.fill: parent
                    preview: root.preview
                    track: row.track
                    color: row.color
                    gain: row.isOriginal ? 1.0 : row.volume
                }
                Rectangle {
                    visible: root.preview.looping
                    x: wave.xAt(root.preview.loopStart)
                    width: Math.max(1, wave.xAt(root.preview.loopEnd) - x)
                    height: parent.height
                    color: "#33f0c75e"
                    border.color: "#f0c75e"
                }
                Rectangle {
                    x: wave.xAt(root.preview.position)
                    width: 2; height: parent.height
                    color: "#ffffff"
                }
                MouseArea {
                    anchors.fill: parent
                    property real pressX: 0
                    onPressed: (mouse) => { pressX = mouse.x; root.forceActiveFocus() }
                    onReleased: (mouse) => {
                        if (Math.abs(mouse.x - pressX) < 4) root.preview.seek(wave.secondsAt(mouse.x))
                        else root.preview.setLoop(wave.secondsAt(pressX), wave.secondsAt(mouse.x))
                    }
                }
            }
        }

        Repeater {
            objectName: "stemRows"
            model: root.preview
            delegate: TrackRow {
                required property int index
                required property var model
                track: index
                name: model.name
                muted: model.muted
                solo: model.solo
                audible: model.audible
                volume: model.volume
                color: root.stemColors[Math.max(0, index) % root.stemColors.length] // index is -1 while a row is removed
            }
        }
        TrackRow {
            visible: root.preview.hasOriginal
            isOriginal: true
            track: -1
            name: qsTr("Original mix")
            color: "#9aa4ae"
        }
        Label {
            visible: root.lastExportMessage !== ""
            text: root.lastExportMessage
            color: "#b8c0c8"
            elide: Text.ElideMiddle
            Layout.fillWidth: true
        }
    }
}
