import QtQuick
import QtTest
import CalendarStudio
import CropEditorTest

// The crop editor's interaction: the frame follows the model, dragging
// moves it, the wheel and the slider zoom, the keys move, zoom, accept and
// cancel, Reset to Automatic comes back, overlays and warnings follow.
Item {
    id: window
    width: 960
    height: 640

    CropEditor {
        id: editor
        anchors.fill: parent
        model: Fixture.model
    }

    TestCase {
        name: "CropEditor"
        when: windowShown

        function frame() { return findChild(editor, "cropFrame") }
        // A copy: reading a rect property gives a reference that follows the property.
        function cropNow() {
            const c = Fixture.model.crop
            return Qt.rect(c.x, c.y, c.width, c.height)
        }
        function painted() { return findChild(editor, "paintedMaster") }

        function init() {
            Fixture.reset()
            editor.forceActiveFocus()
            tryVerify(function() { return findChild(editor, "masterImage").status === Image.Ready })
        }

        function test_frameFollowsTheModel() {
            const m = Fixture.model
            verify(m.ready)
            verify(m.automatic)
            const p = painted()
            verify(p.width > 300)
            // The master is square: painted square, letterboxed in the canvas.
            fuzzyCompare(p.width, p.height, 1)
            fuzzyCompare(frame().x, m.crop.x * p.width, 0.5)
            fuzzyCompare(frame().width, m.crop.width * p.width, 0.5)
            fuzzyCompare(frame().height, m.crop.height * p.height, 0.5)
            // The landscape position's aspect (3375 × 2625) in a square master: SmartCrop's whole
            // pixels (within half a pixel) while automatic, exact once moved or zoomed.
            fuzzyCompare(m.crop.width / m.crop.height, 3375 / 2625, 1e-3)
            m.zoom = 1.5
            fuzzyCompare(m.crop.width / m.crop.height, 3375 / 2625, 1e-9)
        }

        function test_dragMovesTheFrame() {
            const m = Fixture.model
            m.zoom = 2
            const before = cropNow()
            const f = frame()
            const p = painted()
            // In the painted master's coordinates, which stay put while the frame moves.
            const cx = f.x + f.width / 2
            const cy = f.y + f.height / 2
            mousePress(p, cx, cy)
            mouseMove(p, cx + 30, cy + 20, -1, Qt.LeftButton)
            mouseMove(p, cx + 60, cy + 40, -1, Qt.LeftButton)
            mouseRelease(p, cx + 60, cy + 40)
            fuzzyCompare(m.crop.x, before.x + 60 / p.width, 0.002)
            fuzzyCompare(m.crop.y, before.y + 40 / p.height, 0.002)
            verify(!m.automatic)
            // The frame never leaves the master.
            const fx = f.x + f.width / 2
            const fy = f.y + f.height / 2
            mousePress(p, fx, fy)
            mouseMove(p, fx + 2000, fy + 2000, -1, Qt.LeftButton)
            mouseRelease(p, fx + 2000, fy + 2000)
            fuzzyCompare(m.crop.x + m.crop.width, 1, 1e-9)
            fuzzyCompare(m.crop.y + m.crop.height, 1, 1e-9)
        }

        function test_wheelAndSliderZoom() {
            const m = Fixture.model
            fuzzyCompare(m.zoom, 1, 0.01) // the automatic crop is the largest (rounded to whole pixels)
            const canvas = findChild(editor, "cropCanvas")
            mouseWheel(canvas, canvas.width / 2, canvas.height / 2, 0, 120)
            verify(m.zoom > 1.05)
            mouseWheel(canvas, canvas.width / 2, canvas.height / 2, 0, -120)
            fuzzyCompare(m.zoom, 1, 0.01)
            const slider = findChild(editor, "zoomSlider")
            compare(slider.to, m.maxZoom)
            // A click far along the slider zooms far in.
            mouseClick(slider, slider.width * 0.9, slider.height / 2)
            verify(m.zoom > 1 + 0.7 * (m.maxZoom - 1))
            fuzzyCompare(slider.value, m.zoom, 1e-6)
            // The slider follows zooms made elsewhere.
            m.zoom = 2
            fuzzyCompare(slider.value, 2, 1e-6)
            // Never beyond the limits.
            m.zoom = 100
            compare(m.zoom, m.maxZoom)
            m.zoom = 0.1
            compare(m.zoom, 1)
        }

        function test_keys() {
            const m = Fixture.model
            m.zoom = 2
            const before = cropNow()
            keyClick(Qt.Key_Left)
            verify(m.crop.x < before.x)
            keyClick(Qt.Key_Down)
            verify(m.crop.y > before.y)
            keyClick(Qt.Key_Plus)
            fuzzyCompare(m.zoom, 2.2, 1e-6)
            keyClick(Qt.Key_Minus)
            fuzzyCompare(m.zoom, 2, 1e-6)
            compare(Fixture.cancelled, 0)
            keyClick(Qt.Key_Escape)
            compare(Fixture.cancelled, 1)
            compare(Fixture.accepted, 0)
            keyClick(Qt.Key_Return)
            compare(Fixture.accepted, 1)
        }

        function test_resetToAutomatic() {
            const m = Fixture.model
            const automatic = cropNow()
            const reset = findChild(editor, "resetButton")
            verify(!reset.enabled)
            m.zoom = 1.5
            m.moveBy(-0.05, 0.02)
            verify(reset.enabled)
            verify(m.crop.x !== automatic.x)
            mouseClick(reset)
            verify(m.automatic)
            verify(!reset.enabled)
            fuzzyCompare(m.crop.x, automatic.x, 1e-9)
            fuzzyCompare(m.crop.width, automatic.width, 1e-9)
            fuzzyCompare(m.crop.height, automatic.height, 1e-9)
        }

        function test_overlaysAndLiveWarnings() {
            const m = Fixture.model
            const f = frame()
            // The hanger zone along the top edge of a wall calendar.
            const binding = findChild(editor, "bindingZone")
            verify(binding.visible)
            compare(binding.y, 0)
            fuzzyCompare(binding.width, f.width, 0.5)
            const safe = findChild(editor, "safeArea")
            verify(safe.x > 0 && safe.y > 0 && safe.x + safe.width < f.width)
            // The photo-above layout shows the upper part of the crop only.
            verify(findChild(editor, "shownArea").visible)
            // One face, whole: no warnings, green.
            compare(m.faces.length, 1)
            compare(m.warnings.length, 0)
            verify(findChild(editor, "noWarnings").visible)
            const box = findChild(editor, "faceBox")
            verify(box !== null)
            compare(String(box.border.color), String(editor.faceColor))
            // Zoomed in to the corner away from the face: cut, said at once, red.
            m.zoom = 3
            m.moveTo(1, 1)
            verify(m.faces[0].cut)
            verify(m.warnings.length > 0)
            compare(m.level, "strong")
            verify(!findChild(editor, "noWarnings").visible)
            compare(String(findChild(editor, "faceBox").border.color), String(editor.cutColor))
            verify(m.effectiveDpi > 0)
        }
    }
}
