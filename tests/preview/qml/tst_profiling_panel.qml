// The profiling panel renders a recorded stream: one bar per stage, both charts drawn with the
// expected series, every notice listed, and the header values from the model.
import QtQuick
import QtTest
import StemDeck.Profiling

// TestCase itself is invisible: the panels live in a visible root so input reaches them.
Item {
    id: root
    width: 1000
    height: 900

    TestCase {
        id: testCase
        name: "ProfilingPanel"
        when: windowShown

        Component { id: panelComponent; ProfilingPanel { width: 1000; height: 900 } }

        function test_rendersStream() {
            const panel = createTemporaryObject(panelComponent, root)
            verify(panel)
            const bars = findChild(panel, "stageBars")
            compare(bars.count, 0)
            // Empty: a sentence says what will appear here, and nothing can be exported yet.
            verify(findChild(panel, "noProfileYet").visible)
            verify(!findChild(panel, "exportTraceButton").enabled)
            const n = fixture.feed(panel.model, 24)
            tryCompare(panel.model, "eventCount", n, 3000)
            verify(!findChild(panel, "noProfileYet").visible)
            compare(bars.count, 11)
            waitForRendering(panel) // bars are sized at the next polish
            // The longest stage (model) spans the full bar width; the others are shorter.
            let widest = 0
            for (let i = 0; i < bars.count; ++i) {
                const bar = findChild(bars.itemAt(i), "stageBar")
                verify(bar.width >= 2)
                widest = Math.max(widest, bar.width)
            }
            fuzzyCompare(widest, bars.itemAt(0).width - 190, 1)
            const throughput = findChild(panel, "throughputChart")
            const memory = findChild(panel, "memoryChart")
            tryCompare(throughput, "lineCount", 1)
            compare(throughput.pointCount, 24)
            tryCompare(memory, "lineCount", 3) // process, device, budget
            compare(memory.pointCount, 25 + 25 + 2)
            verify(memory.yMax > panel.model.budgetBytes)
            // Both axes are labelled: x real time or GiB up, the job's seconds across.
            const tl = throughput.axisLabels
            compare(tl[0], "0x")
            verify(tl.some(l => /^[0-9.]+x$/.test(l) && l !== "0x"), tl.join(","))
            verify(tl.indexOf("0 s") >= 0, tl.join(","))
            verify(tl[tl.length - 1].endsWith(" s"), tl.join(","))
            const ml = memory.axisLabels
            compare(ml[0], "0")
            verify(ml.some(l => l.endsWith(" GiB")), ml.join(","))
            compare(findChild(panel, "notices").count, 4)
            compare(findChild(panel, "deviceLabel").text, "Device: cuda:0")
            verify(findChild(panel, "rtfLabel").text.indexOf("x real-time") > 0)
        }

        function test_exportsFromButtons() {
            const panel = createTemporaryObject(panelComponent, root, {
                traceExportPath: fixture.tempFile("panel-trace.json"),
                summaryExportPath: fixture.tempFile("panel-summary.json")
            })
            const button = findChild(panel, "exportTraceButton")
            verify(!button.enabled) // nothing to export yet
            fixture.feed(panel.model, 2)
            tryVerify(() => button.enabled, 3000)
            waitForRendering(panel)
            mouseClick(button)
            verify(panel.exportMessage.indexOf("perfetto") > 0, panel.exportMessage)
            mouseClick(findChild(panel, "exportSummaryButton"))
            verify(panel.exportMessage.indexOf("panel-summary.json") > 0)
        }
    }
}
