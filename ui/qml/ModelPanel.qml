// Choosing the model: installed models first (bundled, imported, downloaded), then the public
// catalogue with download progress; import of a checkpoint with its configuration.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import StemDeck.Ui

Pane {
    id: root

    required property AppController controller
    readonly property ModelCatalogue models: controller.models

    padding: Theme.margin
    background: Rectangle { color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing

        ListView {
            id: list
            objectName: "modelList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing / 2
            model: root.models
            activeFocusOnTab: true
            currentIndex: root.models.currentIndex // the arrow keys move from the chosen model
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Models")
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: entry
                required property int index
                required property string name
                required property string description
                required property string kind
                required property string stemsText
                required property string sizeText
                required property bool installed
                required property bool downloading
                required property bool hasPartial
                required property real progress
                required property string error

                width: ListView.view.width
                highlighted: index === root.models.currentIndex
                // From the keyboard: Tab into the list, arrows move, Space or Enter chooses.
                focus: ListView.isCurrentItem
                Accessible.name: name
                Accessible.selected: highlighted
                Accessible.description: [stemsText, sizeText, description, error].filter(s => s.length > 0).join(". ")
                onClicked: root.models.currentIndex = index
                Keys.onReturnPressed: entry.clicked()
                Keys.onEnterPressed: entry.clicked()
                background: Rectangle {
                    color: entry.highlighted ? Theme.dropHighlight : Theme.panel
                    border.color: entry.highlighted || entry.activeFocus ? Theme.accent : Theme.border
                    border.width: entry.activeFocus ? 2 : 1
                    radius: Theme.radius
                }

                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: entry.name
                            font.bold: true
                            elide: Text.ElideRight
                            color: Theme.text
                        }
                        Label {
                            text: entry.kind === "bundled" ? qsTr("Bundled")
                                  : entry.kind === "imported" ? qsTr("Imported")
                                  : entry.installed ? qsTr("Downloaded") : entry.sizeText
                            color: Theme.mutedText
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Stems: %1").arg(entry.stemsText)
                        wrapMode: Text.WordWrap
                        color: Theme.mutedText
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: entry.description.length > 0
                        text: entry.description
                        wrapMode: Text.WordWrap
                        color: Theme.mutedText
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        visible: !entry.installed
                        ProgressBar {
                            Layout.fillWidth: true
                            visible: entry.downloading
                            value: entry.progress
                            Accessible.name: qsTr("Download progress of %1").arg(entry.name)
                        }
                        Item { Layout.fillWidth: true; visible: !entry.downloading }
                        Button {
                            text: entry.downloading ? qsTr("Pause") : qsTr("Download")
                            Accessible.name: entry.downloading ? qsTr("Pause the download of %1").arg(entry.name)
                                                               : qsTr("Download %1").arg(entry.name)
                            onClicked: entry.downloading ? root.models.cancelDownload(entry.index)
                                                         : root.models.download(entry.index)
                        }
                        Button { // a paused or failed download keeps its partial file for a resume
                            visible: entry.hasPartial
                            text: qsTr("Discard")
                            Accessible.name: qsTr("Delete the partial download of %1").arg(entry.name)
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("Delete what was downloaded so far")
                            onClicked: root.models.discardDownload(entry.index)
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: entry.error.length > 0
                        text: entry.error
                        wrapMode: Text.WordWrap
                        color: Theme.danger
                    }
                }
            }
        }

        Label {
            Layout.fillWidth: true
            visible: root.models.importError.length > 0
            text: root.models.importError
            wrapMode: Text.WordWrap
            color: Theme.danger
        }
        RowLayout {
            Layout.fillWidth: true
            BusyIndicator { running: root.models.importing; visible: running; implicitWidth: 32; implicitHeight: 32 }
            Button {
                objectName: "importButton"
                text: qsTr("Import model…")
                enabled: !root.models.importing
                Accessible.name: qsTr("Import a model checkpoint and its configuration")
                onClicked: importDialog.open()
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Select the .ckpt or .safetensors file and its .yaml together.")
                wrapMode: Text.WordWrap
                color: Theme.mutedText
                font.pixelSize: 12
            }
        }
    }

    FileDialog {
        id: importDialog
        title: qsTr("Import a model")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Model files (*.ckpt *.safetensors *.yaml *.yml)")]
        onAccepted: root.models.importFiles(selectedFiles)
    }
}
