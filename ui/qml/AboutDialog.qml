// Versions (StemDeck, Qt, LibTorch), the licence and credits for the bundled data.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

Dialog {
    id: dialog

    required property AppController controller

    title: qsTr("About StemDeck")
    modal: true
    focus: true // takes the keyboard when it opens: Enter answers it, a screen reader announces it
    width: 560
    height: 480
    standardButtons: Dialog.Close
    readonly property KeyScroller scroller: KeyScroller { flickable: scroll.contentItem }

    // The credits run past the box: the arrows and Page keys scroll them (Tab reaches Close).
    ScrollView {
        id: scroll
        objectName: "aboutScroll"
        anchors.fill: parent
        contentWidth: availableWidth
        focus: true
        activeFocusOnTab: true
        Keys.onPressed: event => dialog.scroller.handle(event)
        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing
            Label {
                text: qsTr("StemDeck %1").arg(dialog.controller.version)
                font.pixelSize: 20
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("Separates music into stems with MDX23C models, on your own computer.")
            }
            Label {
                objectName: "versions"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                textFormat: Text.PlainText
                text: qsTr("Qt %1").arg(dialog.controller.qtVersion) + "\n"
                      + qsTr("LibTorch %1").arg(dialog.controller.libtorchVersion.length > 0
                                                ? dialog.controller.libtorchVersion : qsTr("unknown"))
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: qsTr("Licence: GNU GPL version 3 or later. Models you download keep their authors' licences.")
            }
            Label {
                Layout.fillWidth: true
                visible: dialog.controller.credits.length > 0
                text: qsTr("Credits for bundled data")
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                textFormat: Text.MarkdownText
                text: dialog.controller.credits
                onLinkActivated: link => Qt.openUrlExternally(link)
            }
        }
    }
}
