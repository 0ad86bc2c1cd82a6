// The stem preview panel: a job folder shows one waveform row per stem plus the original, the
// mute/solo buttons drive the model, a click on a waveform seeks, a drag selects a loop, Space
// toggles playback (no audio device here: the panel says so), and export writes a file.
import QtQuick
import QtTest
import StemDeck.Preview

// TestCase itself is invisible: the panels live in a visible root so input reaches them.
Item {
    id: root
    width: 1000
    height: 600

    TestCase {
        id: testCase
        name: "StemPreviewPanel"
        when: windowShown

        Component { id: panelComponent; StemPreviewPanel { width: 1000; height: 600 } }

        function loaded() {
            const panel = createTemporaryObject(panelComponent, root)
            panel.preview.loadFolder(fixture.jobFolder(), fixture.original())
            tryCompare(panel.preview, "status", StemPreview.Ready, 20000)
            waitForRendering(panel) // the rows are laid out at the next polish
            return panel
        }

        function test_rowsAndWaveforms() {
            const panel = loaded()
            compare(findChild(panel, "stemRows").count, 3)
            for (const name of ["bass", "drums", "vocals"]) {
                const wave = findChild(panel, "waveform_" + name)
                verify(wave, name)
                verify(wave.width > 500)
                tryVerify(() => wave.level >= 0) // drawn from a pyramid level
            }
            verify(findChild(panel, "waveform_Original mix"))
            // Each waveform is drawn at its stem's volume.
            panel.preview.setVolume(0, 0.5)
            tryCompare(findChild(panel, "waveform_bass"), "gain", 0.5)
            compare(findChild(panel, "waveform_drums").gain, 1.0)
            panel.preview.setVolume(0, 1.0)
        }

        function test_muteSoloButtons() {
            const panel = loaded()
            const solo = findChild(panel, "solo_drums")
            const released = solo.background.color
            mouseClick(solo)
            compare(panel.preview.data(panel.preview.index(0, 0), StemPreview.AudibleRole), false)
            compare(panel.preview.data(panel.preview.index(1, 0), StemPreview.AudibleRole), true)
            // A pressed toggle is filled with its own colour: solo yellow, mute red.
            verify(Qt.colorEqual(solo.background.color, "#e8c547"))
            mouseClick(solo)
            verify(Qt.colorEqual(solo.background.color, released))
            const mute = findChild(panel, "mute_vocals")
            mouseClick(mute)
            compare(panel.preview.data(panel.preview.index(2, 0), StemPreview.MutedRole), true)
            verify(Qt.colorEqual(mute.background.color, "#d9534f"))
        }

        function test_clickSeeksDragLoops() {
            const panel = loaded()
            const wave = findChild(panel, "waveform_bass")
            mouseClick(wave, wave.width / 2, wave.height / 2)
            fuzzyCompare(panel.preview.position, 1.0, 0.02)
            mouseDrag(wave, wave.width / 4, wave.height / 2, wave.width / 4, 0)
            verify(panel.preview.looping)
            fuzzyCompare(panel.preview.loopStart, 0.5, 0.02)
            fuzzyCompare(panel.preview.loopEnd, 1.0, 0.02)
        }

        function test_spaceTogglesPlayback() {
            const panel = loaded()
            panel.forceActiveFocus()
            verify(!findChild(panel, "audioMessage").visible)
            keyClick(Qt.Key_Space)
            // No sound server in this test: playback stays off and the panel says why.
            verify(!panel.preview.playing)
            verify(findChild(panel, "audioMessage").visible)
            verify(findChild(panel, "audioMessage").text.indexOf("playback is off") >= 0)
        }

        function test_exportButton() {
            const panel = loaded()
            panel.exportPath = fixture.tempFile("panel-export.wav")
            mouseClick(findChild(panel, "mute_drums"))
            mouseClick(findChild(panel, "exportButton"))
            tryVerify(() => panel.lastExportMessage !== "", 20000)
            verify(panel.lastExportMessage.indexOf("panel-export.wav") >= 0, panel.lastExportMessage)
        }
    }
}
