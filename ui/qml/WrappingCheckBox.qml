// A check box whose label wraps, so long translations grow downwards instead of widening
// the panel.
import QtQuick
import QtQuick.Controls

CheckBox {
    id: box
    contentItem: Label {
        leftPadding: box.indicator.width + box.spacing
        text: box.text
        wrapMode: Text.WordWrap
        verticalAlignment: Text.AlignVCenter
    }
}
