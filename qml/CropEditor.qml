import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CalendarStudio

// The crop editor of one page in one print format: the master with the
// crop frame (always exactly the print position's aspect) over it. Drag the
// frame to move it; the mouse wheel, a pinch or the slider zooms. Inside
// the frame: the bleed the printer cuts off (shaded red), the safe area
// (blue line), the binding or hanger zone (orange), the part the page
// layout leaves to the calendar grid (veiled) and, over the picture, the
// faces (green; red when cut). Warnings and the effective DPI follow every move.
//
// Keys: arrows move (Shift: further), + and - zoom, Enter accepts, Esc
// cancels. C++ sets `model` (a CropEditorModel) and closes the window on
// its accepted/cancelled signals.
FocusScope {
    id: root

    property CropEditorModel model: null

    readonly property color ink: "#2b2925"
    readonly property color muted: "#6f6a62"
    readonly property color bleedColor: "#c0392b"
    readonly property color safeColor: "#2f8fd8"
    readonly property color bindingColor: "#e08a1e"
    readonly property color faceColor: "#39c46a"
    readonly property color cutColor: "#e0433a"
    readonly property color veil: "#99f3efe8"
    // The page layout shows only part of the crop (photo above or beside the grid).
    readonly property bool partialPhoto: model !== null && (model.photoRect.width < 0.999 || model.photoRect.height < 0.999)

    function levelColor(level) {
        switch (level) {
        case "strong": return "#b53f3f"
        case "mild": return "#c98a1b"
        default: return "#3f8a4f"
        }
    }

    focus: true
    Accessible.role: Accessible.Dialog
    Accessible.name: model ? qsTr("Crop editor, %1").arg(model.title) : qsTr("Crop editor")

    Keys.onPressed: function(event) {
        if (!root.model)
            return
        const far = (event.modifiers & Qt.ShiftModifier) !== 0
        const dx = root.model.crop.width * (far ? 0.1 : 0.02)
        const dy = root.model.crop.height * (far ? 0.1 : 0.02)
        switch (event.key) {
        case Qt.Key_Left: root.model.moveBy(-dx, 0); break
        case Qt.Key_Right: root.model.moveBy(dx, 0); break
        case Qt.Key_Up: root.model.moveBy(0, -dy); break
        case Qt.Key_Down: root.model.moveBy(0, dy); break
        case Qt.Key_Plus:
        case Qt.Key_Equal: root.model.zoomBy(1.1); break
        case Qt.Key_Minus:
        case Qt.Key_Underscore: root.model.zoomBy(1 / 1.1); break
        case Qt.Key_Return:
        case Qt.Key_Enter: root.model.accept(); break
        case Qt.Key_Escape: root.model.cancel(); break
        default: return
        }
        event.accepted = true
    }

    Rectangle {
        anchors.fill: parent
        color: "#f3efe8"
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            id: canvas
            objectName: "cropCanvas"
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: "#3a3733"
            clip: true

            Image {
                id: picture
                objectName: "masterImage"
                anchors.fill: parent
                anchors.margins: 18
                source: root.model ? root.model.imageUrl : ""
                fillMode: Image.PreserveAspectFit
                smooth: true
                mipmap: true
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: !root.model || !root.model.ready
                visible: running
            }

            // The master as painted (letterboxing removed): everything below is in its coordinates.
            Item {
                id: painted
                objectName: "paintedMaster"
                readonly property real aspect: root.model ? root.model.masterAspect : 1
                readonly property real fitWidth: Math.min(picture.width, picture.height * aspect)
                x: picture.x + (picture.width - fitWidth) / 2
                y: picture.y + (picture.height - fitWidth / aspect) / 2
                width: fitWidth
                height: fitWidth / aspect
                visible: root.model !== null && root.model.ready

                readonly property rect crop: root.model ? root.model.crop : Qt.rect(0, 0, 1, 1)

                // Outside the crop: dimmed, so the frame is what the eye sees.
                Rectangle { color: "#99000000"; x: 0; y: 0; width: parent.width; height: cropFrame.y }
                Rectangle { color: "#99000000"; x: 0; y: cropFrame.y + cropFrame.height; width: parent.width; height: parent.height - y }
                Rectangle { color: "#99000000"; x: 0; y: cropFrame.y; width: cropFrame.x; height: cropFrame.height }
                Rectangle { color: "#99000000"; x: cropFrame.x + cropFrame.width; y: cropFrame.y; width: parent.width - x; height: cropFrame.height }

                Item {
                    id: cropFrame
                    objectName: "cropFrame"
                    x: painted.crop.x * painted.width
                    y: painted.crop.y * painted.height
                    width: painted.crop.width * painted.width
                    height: painted.crop.height * painted.height

                    function sub(r) {
                        return Qt.rect(r.x * width, r.y * height, r.width * width, r.height * height)
                    }
                    readonly property rect trim: root.model ? sub(root.model.trimRect) : Qt.rect(0, 0, 0, 0)
                    readonly property rect safe: root.model ? sub(root.model.safeRect) : Qt.rect(0, 0, 0, 0)
                    readonly property rect binding: root.model ? sub(root.model.bindingRect) : Qt.rect(0, 0, 0, 0)
                    readonly property rect shown: root.model ? sub(root.model.photoRect) : Qt.rect(0, 0, 0, 0)

                    // What the page does not show (the calendar grid goes there): veiled in paper colour.
                    Item {
                        objectName: "shownArea"
                        readonly property bool partial: cropFrame.shown.width < cropFrame.width - 1
                                                        || cropFrame.shown.height < cropFrame.height - 1
                        anchors.fill: parent
                        visible: partial
                        Rectangle { color: root.veil; x: 0; y: 0; width: parent.width; height: cropFrame.shown.y }
                        Rectangle { color: root.veil; x: 0; y: cropFrame.shown.y + cropFrame.shown.height; width: parent.width; height: parent.height - y }
                        Rectangle { color: root.veil; x: 0; y: cropFrame.shown.y; width: cropFrame.shown.x; height: cropFrame.shown.height }
                        Rectangle { color: root.veil; x: cropFrame.shown.x + cropFrame.shown.width; y: cropFrame.shown.y; width: parent.width - x; height: cropFrame.shown.height }
                        Rectangle {
                            x: cropFrame.shown.x; y: cropFrame.shown.y
                            width: cropFrame.shown.width; height: cropFrame.shown.height
                            color: "transparent"
                            border.color: "white"
                            border.width: 1
                        }
                    }
                    // Bleed: between the frame and the trim line, cut off by the printer.
                    Rectangle { color: "#55c0392b"; x: 0; y: 0; width: parent.width; height: cropFrame.trim.y }
                    Rectangle { color: "#55c0392b"; x: 0; y: cropFrame.trim.y + cropFrame.trim.height; width: parent.width; height: parent.height - y }
                    Rectangle { color: "#55c0392b"; x: 0; y: cropFrame.trim.y; width: cropFrame.trim.x; height: cropFrame.trim.height }
                    Rectangle { color: "#55c0392b"; x: cropFrame.trim.x + cropFrame.trim.width; y: cropFrame.trim.y; width: parent.width - x; height: cropFrame.trim.height }

                    Rectangle {
                        objectName: "bindingZone"
                        visible: cropFrame.binding.width > 0
                        x: cropFrame.binding.x; y: cropFrame.binding.y
                        width: cropFrame.binding.width; height: cropFrame.binding.height
                        color: "#66e08a1e"
                        border.color: root.bindingColor
                    }
                    Rectangle {
                        objectName: "safeArea"
                        x: cropFrame.safe.x; y: cropFrame.safe.y
                        width: cropFrame.safe.width; height: cropFrame.safe.height
                        color: "transparent"
                        border.color: root.safeColor
                        border.width: 1
                    }
                    // Thirds of what the page shows, faintly, as a composition guide.
                    Repeater {
                        model: 2
                        Rectangle {
                            required property int index
                            x: cropFrame.shown.x + cropFrame.shown.width * (index + 1) / 3
                            y: cropFrame.shown.y
                            width: 1
                            height: cropFrame.shown.height
                            color: "#50ffffff"
                        }
                    }
                    Repeater {
                        model: 2
                        Rectangle {
                            required property int index
                            x: cropFrame.shown.x
                            y: cropFrame.shown.y + cropFrame.shown.height * (index + 1) / 3
                            width: cropFrame.shown.width
                            height: 1
                            color: "#50ffffff"
                        }
                    }
                    Rectangle {
                        anchors.fill: parent
                        color: "transparent"
                        border.color: "white"
                        border.width: 2
                    }

                    MouseArea {
                        id: dragArea
                        objectName: "cropDragArea"
                        anchors.fill: parent
                        cursorShape: pressed ? Qt.ClosedHandCursor : Qt.OpenHandCursor
                        property point start
                        property rect startCrop
                        onPressed: function(mouse) {
                            root.forceActiveFocus()
                            start = mapToItem(painted, mouse.x, mouse.y)
                            startCrop = root.model.crop
                        }
                        onPositionChanged: function(mouse) {
                            const p = mapToItem(painted, mouse.x, mouse.y)
                            root.model.moveTo(startCrop.x + (p.x - start.x) / painted.width,
                                              startCrop.y + (p.y - start.y) / painted.height)
                        }
                    }
                }

                Repeater {
                    objectName: "faceBoxes"
                    model: root.model ? root.model.faces : []
                    Rectangle {
                        required property var modelData
                        objectName: "faceBox"
                        x: modelData.x * painted.width
                        y: modelData.y * painted.height
                        width: modelData.width * painted.width
                        height: modelData.height * painted.height
                        color: "transparent"
                        border.color: modelData.cut ? root.cutColor : root.faceColor
                        border.width: 2
                        radius: 3
                    }
                }
            }

            WheelHandler {
                onWheel: function(event) {
                    if (root.model && event.angleDelta.y !== 0)
                        root.model.zoomBy(event.angleDelta.y > 0 ? 1.1 : 1 / 1.1)
                }
            }
            PinchHandler {
                id: pinch
                target: null
                property real startZoom: 1
                onActiveChanged: {
                    if (active && root.model)
                        startZoom = root.model.zoom
                }
                onActiveScaleChanged: {
                    if (active && root.model)
                        root.model.zoom = startZoom * activeScale
                }
            }
        }

        // What the crop means, and the choices.
        Pane {
            Layout.fillHeight: true
            Layout.preferredWidth: 310
            padding: 16
            background: Rectangle { color: "#f3efe8" }

            ColumnLayout {
                anchors.fill: parent
                spacing: 10

                Label {
                    objectName: "editorTitle"
                    Layout.fillWidth: true
                    text: root.model ? root.model.title : ""
                    font.bold: true
                    font.pixelSize: 16
                    color: root.ink
                    wrapMode: Text.WordWrap
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Drag the frame to move it; zoom with the mouse wheel, a pinch, the slider or + and −.")
                    color: root.muted
                    wrapMode: Text.WordWrap
                }

                RowLayout {
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("Zoom")
                        color: root.ink
                    }
                    Slider {
                        id: zoomSlider
                        objectName: "zoomSlider"
                        Layout.fillWidth: true
                        from: 1
                        to: root.model ? root.model.maxZoom : 1
                        value: root.model ? root.model.zoom : 1
                        focusPolicy: Qt.NoFocus
                        onMoved: root.model.zoom = value
                        Accessible.name: qsTr("Zoom")
                    }
                }

                Label {
                    objectName: "dpiLabel"
                    Layout.fillWidth: true
                    text: root.model ? qsTr("%1 DPI at print size (300 or more prints sharp)").arg(root.model.effectiveDpi) : ""
                    color: root.levelColor(root.model && root.model.effectiveDpi < 300
                                           ? (root.model.effectiveDpi < 200 ? "strong" : "mild") : "none")
                    wrapMode: Text.WordWrap
                }

                Repeater {
                    model: root.model ? root.model.warnings : []
                    delegate: RowLayout {
                        required property string modelData
                        Layout.fillWidth: true
                        spacing: 6
                        Rectangle {
                            Layout.alignment: Qt.AlignTop
                            Layout.topMargin: 4
                            width: 10; height: 10; radius: 5
                            color: root.levelColor(root.model.level)
                        }
                        Label {
                            objectName: "editorWarning"
                            Layout.fillWidth: true
                            text: modelData
                            wrapMode: Text.WordWrap
                            color: root.ink
                        }
                    }
                }
                Label {
                    objectName: "noWarnings"
                    Layout.fillWidth: true
                    visible: root.model !== null && root.model.warnings.length === 0
                    text: qsTr("Faces whole and clear of the edges, sharp enough to print.")
                    color: root.levelColor("none")
                    wrapMode: Text.WordWrap
                }

                // The legend of the overlays.
                GridLayout {
                    columns: 2
                    columnSpacing: 8
                    rowSpacing: 4
                    Layout.topMargin: 6
                    Rectangle { width: 16; height: 10; color: "#88c0392b" }
                    Label { text: qsTr("Bleed — cut off when trimmed"); color: root.muted }
                    Rectangle { width: 16; height: 10; color: "transparent"; border.color: root.safeColor }
                    Label { text: qsTr("Safe area — keep faces inside"); color: root.muted }
                    Rectangle { width: 16; height: 10; color: "#88e08a1e"; visible: root.model && root.model.bindingRect.width > 0 }
                    Label { text: qsTr("Binding — wire or hanger"); color: root.muted; visible: root.model && root.model.bindingRect.width > 0 }
                    Rectangle { width: 16; height: 10; color: root.veil; border.color: "#8a8578"
                                visible: root.partialPhoto }
                    Label { text: qsTr("Calendar grid — this part is not shown on the page"); color: root.muted; wrapMode: Text.WordWrap; Layout.fillWidth: true
                            visible: root.partialPhoto }
                    Rectangle { width: 16; height: 10; color: "transparent"; border.color: root.faceColor; border.width: 2 }
                    Label { text: qsTr("Faces (red when cut)"); color: root.muted }
                }

                Item { Layout.fillHeight: true }

                Button {
                    objectName: "resetButton"
                    Layout.fillWidth: true
                    text: qsTr("&Reset to Automatic")
                    enabled: root.model !== null && !root.model.automatic
                    focusPolicy: Qt.NoFocus
                    onClicked: root.model.resetToAutomatic()
                }
                RowLayout {
                    Layout.fillWidth: true
                    Button {
                        objectName: "cancelButton"
                        Layout.fillWidth: true
                        text: qsTr("Cancel")
                        focusPolicy: Qt.NoFocus
                        onClicked: root.model.cancel()
                    }
                    Button {
                        objectName: "okButton"
                        Layout.fillWidth: true
                        text: qsTr("OK")
                        highlighted: true
                        focusPolicy: Qt.NoFocus
                        onClicked: root.model.accept()
                    }
                }
            }
        }
    }
}
