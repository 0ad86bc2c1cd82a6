// Lists, once per drop, the files StemDeck skipped because it cannot read them.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

Dialog {
    id: dialog

    required property AppController controller

    title: qsTr("Some files were not added")
    modal: true
    width: 520
    visible: controller.unsupportedFiles.length > 0
    standardButtons: Dialog.Ok
    onClosed: controller.clearUnsupported()

    ColumnLayout {
        anchors.fill: parent
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("%n file(s) are not audio StemDeck can read, or no longer exist:", "",
                       dialog.controller.unsupportedFiles.length)
        }
        ListView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 200)
            clip: true
            model: dialog.controller.unsupportedFiles
            delegate: Label {
                required property string modelData
                width: ListView.view.width
                text: modelData
                elide: Text.ElideMiddle
            }
        }
    }
}
