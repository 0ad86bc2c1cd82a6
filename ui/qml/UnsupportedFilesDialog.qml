// Lists, once per drop, the files StemDeck skipped because it cannot read them, and why where
// the file's header was read and failed (damaged, cut short, empty).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

Dialog {
    id: dialog

    required property AppController controller

    title: qsTr("Some files were not added")
    modal: true
    focus: true // takes the keyboard when it opens: Enter answers it, a screen reader announces it
    width: 520
    visible: controller.unsupportedFiles.length > 0
    standardButtons: Dialog.Ok
    readonly property KeyScroller scroller: KeyScroller { flickable: files }
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
            id: files
            objectName: "unsupportedList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 200)
            clip: true
            // A long list scrolls from the keyboard too (the arrows, Page keys, Home, End).
            focus: true
            activeFocusOnTab: true
            keyNavigationEnabled: false
            Keys.onPressed: event => dialog.scroller.handle(event)
            ScrollBar.vertical: ScrollBar { policy: files.contentHeight > files.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Files not added")
            model: dialog.controller.unsupportedFiles
            delegate: ColumnLayout {
                required property string modelData
                readonly property string reason: dialog.controller.unsupportedReasons[modelData] || ""
                width: ListView.view.width
                spacing: 0
                Label {
                    Layout.fillWidth: true
                    text: parent.modelData
                    elide: Text.ElideMiddle
                }
                Label { // why, where the file's header could not be read
                    objectName: "unsupportedReason"
                    Layout.fillWidth: true
                    Layout.bottomMargin: 4
                    visible: text !== ""
                    text: parent.reason
                    color: Theme.mutedText
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
}
