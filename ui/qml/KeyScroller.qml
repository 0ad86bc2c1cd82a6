// Scrolls a Flickable from the keyboard (arrows, Page Up/Down, Home, End) for text that has no
// focusable items of its own: the About box's credits, the list of files that were not added.
// Use: `Keys.onPressed: event => scroller.handle(event)` on the focused view.
import QtQuick

QtObject {
    required property Flickable flickable
    property real lineStep: 40

    function handle(event) {
        const f = flickable
        // A list whose rows differ in height may start its content off zero (originY).
        const top = f.originY
        const bottom = top + Math.max(0, f.contentHeight - f.height)
        const page = Math.max(lineStep, f.height - lineStep)
        let y = f.contentY
        switch (event.key) {
        case Qt.Key_Up: y -= lineStep; break
        case Qt.Key_Down: y += lineStep; break
        case Qt.Key_PageUp: y -= page; break
        case Qt.Key_PageDown: y += page; break
        case Qt.Key_Home: y = top; break
        case Qt.Key_End: y = bottom; break
        default: return
        }
        f.contentY = Math.max(top, Math.min(bottom, y))
        event.accepted = true
    }
}
