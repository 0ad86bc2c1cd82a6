// The inline error banner: title, explanation, the translator's actions, a details
// disclosure and "Copy report". Hidden when there is nothing to say.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

Rectangle {
    id: root

    required property ErrorBannerModel banner
    property bool detailsOpen: false

    visible: banner.visible
    implicitHeight: visible ? content.implicitHeight + 2 * Theme.margin : 0
    color: Theme.bannerBackground
    border.color: Theme.danger
    Accessible.role: Accessible.AlertMessage
    Accessible.name: banner.title
    Accessible.description: banner.explanation

    onVisibleChanged: detailsOpen = false

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing / 2

        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "bannerTitle"
                Layout.fillWidth: true
                text: root.banner.title
                font.bold: true
                color: Theme.danger
                wrapMode: Text.WordWrap
            }
            Label {
                visible: root.banner.moreCount > 0
                text: qsTr("%n more", "", root.banner.moreCount)
                color: Theme.mutedText
            }
            ToolButton {
                objectName: "bannerClose"
                text: "✕"
                Accessible.name: qsTr("Dismiss the error")
                onClicked: root.banner.dismiss()
            }
        }
        Label {
            Layout.fillWidth: true
            text: root.banner.explanation
            wrapMode: Text.WordWrap
            color: Theme.text
            visible: text.length > 0
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                model: root.banner.actions
                Button {
                    required property var modelData
                    objectName: "bannerAction_" + modelData.id
                    text: modelData.label
                    Accessible.name: text
                    onClicked: root.banner.trigger(modelData.id)
                }
            }
            Button {
                objectName: "bannerDetails"
                visible: root.banner.details.length > 0
                text: root.detailsOpen ? qsTr("Hide details") : qsTr("Show details")
                flat: true
                Accessible.name: text
                onClicked: root.detailsOpen = !root.detailsOpen
            }
            Button {
                objectName: "bannerCopy"
                text: qsTr("Copy report")
                flat: true
                Accessible.name: qsTr("Copy an error report to the clipboard")
                onClicked: root.banner.copyReport()
            }
        }
        TextArea {
            objectName: "bannerDetailsText"
            Layout.fillWidth: true
            visible: root.detailsOpen
            readOnly: true
            wrapMode: TextEdit.Wrap
            font.family: "monospace"
            text: root.banner.details
            Accessible.name: qsTr("Error details")
        }
    }
}
