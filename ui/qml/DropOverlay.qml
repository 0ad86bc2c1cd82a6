// Accepts files and folders dropped anywhere on the window and shows where they will go.
import QtQuick
import QtQuick.Controls
import StemDeck.Ui

DropArea {
    id: area

    signal filesDropped(var urls)

    keys: ["text/uri-list"]
    onDropped: drop => {
        if (!drop.hasUrls)
            return
        area.filesDropped(drop.urls)
        drop.acceptProposedAction()
    }

    Rectangle {
        anchors.fill: parent
        visible: area.containsDrag
        color: Qt.rgba(Theme.dropHighlight.r, Theme.dropHighlight.g, Theme.dropHighlight.b, 0.85)
        border.color: Theme.accent
        border.width: 3
        radius: Theme.radius
        Label {
            anchors.centerIn: parent
            text: qsTr("Drop to add to the queue")
            font.pixelSize: 22
            color: Theme.text
        }
    }
}
