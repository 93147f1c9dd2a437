import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CalendarStudio

// The Preview step's pages of one print format: the cover and the twelve
// months as they will print (the real calendar grid, the picture cut by the
// page's crop), each with a badge when something may go wrong (orange: may
// print slightly soft; red: visibly soft, a face cut or in the binding; the
// tooltip says what and the effective DPI), and the selected page large
// beside them with its warnings.
//
// Click selects a page; double-click, Enter or "Edit Crop…" asks for the
// crop editor (model.requestEditCrop). Arrow keys move the selection.
//
// C++ sets `model` (a PagePreviewModel); the format is chosen outside.
FocusScope {
    id: root

    property PagePreviewModel model: null
    readonly property var selection: model ? model.selection : ({})
    readonly property real pageAspect: model ? model.pageAspect : 1

    readonly property color ink: "#2b2925"
    readonly property color muted: "#6f6a62"
    readonly property color accent: "#c2562f"

    function levelColor(level) {
        switch (level) {
        case "strong": return "#b53f3f"
        case "mild": return "#c98a1b"
        default: return "#3f8a4f"
        }
    }

    Rectangle {
        anchors.fill: parent
        color: "#f3efe8"
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 12

        GridView {
            id: grid
            objectName: "pageGrid"
            Layout.fillHeight: true
            Layout.fillWidth: true
            Layout.preferredWidth: root.width * 0.56
            clip: true
            focus: true
            activeFocusOnTab: true
            keyNavigationEnabled: true
            model: root.model
            currentIndex: root.model ? root.model.selectedPage : 0
            readonly property int columns: Math.max(1, Math.floor(width / 170))
            cellWidth: Math.floor(width / columns)
            cellHeight: Math.round((cellWidth - 16) / Math.max(0.3, root.pageAspect)) + 40
            ScrollBar.vertical: ScrollBar {}
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Pages")

            onCurrentIndexChanged: {
                if (root.model && currentIndex >= 0)
                    root.model.selectedPage = currentIndex
            }
            Keys.onReturnPressed: root.model.requestEditCrop(currentIndex)
            Keys.onEnterPressed: root.model.requestEditCrop(currentIndex)

            delegate: Item {
                id: tile
                required property int index
                required property int page
                required property string title
                required property string imageUrl
                required property string pageState
                required property string warningLevel
                required property string warningText
                required property int effectiveDpi
                required property bool userCrop
                required property bool editable
                readonly property bool selected: GridView.isCurrentItem

                width: grid.cellWidth
                height: grid.cellHeight
                Accessible.role: Accessible.ListItem
                Accessible.name: warningText.length > 0 ? title + ". " + warningText : title
                Accessible.selected: selected

                Rectangle {
                    id: card
                    anchors.fill: parent
                    anchors.margins: 5
                    radius: 5
                    color: tile.selected ? "#fbe9e1" : "white"
                    border.color: tile.selected ? root.accent : "#ddd6ca"
                    border.width: tile.selected ? 2 : 1

                    Item {
                        id: pageArea
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.margins: 3
                        height: parent.height - 34

                        Rectangle {
                            // Until the first tile is composed: the page's outline, quietly busy.
                            anchors.centerIn: parent
                            width: Math.min(parent.width, parent.height * root.pageAspect)
                            height: width / root.pageAspect
                            visible: tile.imageUrl === ""
                            color: "#ece7de"
                            BusyIndicator {
                                anchors.centerIn: parent
                                running: parent.visible && tile.pageState === "loading"
                                implicitWidth: 28
                                implicitHeight: 28
                            }
                        }
                        Image {
                            objectName: "pageImage"
                            anchors.fill: parent
                            source: tile.imageUrl
                            fillMode: Image.PreserveAspectFit
                            smooth: true
                            mipmap: true
                        }
                    }

                    // The warning badge: colour for how bad, the messages and the DPI on hover.
                    Rectangle {
                        id: badge
                        objectName: "warningBadge"
                        // A page that could not be made gets the red badge too; the tooltip says why.
                        visible: tile.warningLevel !== "none" || tile.pageState === "error"
                        anchors.right: parent.right
                        anchors.top: parent.top
                        anchors.margins: 7
                        width: 22
                        height: 22
                        radius: 11
                        color: root.levelColor(tile.pageState === "error" ? "strong" : tile.warningLevel)
                        border.color: "white"
                        border.width: 2
                        Label {
                            anchors.centerIn: parent
                            text: "!"
                            color: "white"
                            font.bold: true
                            font.pixelSize: 13
                        }
                        HoverHandler { id: badgeHover }
                        ToolTip.visible: badgeHover.hovered
                        ToolTip.text: tile.warningText
                        ToolTip.delay: 300
                    }

                    RowLayout {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        anchors.margins: 6
                        spacing: 4
                        Label {
                            Layout.fillWidth: true
                            text: tile.title
                            color: root.ink
                            font.bold: tile.selected
                            elide: Text.ElideRight
                        }
                        Label {
                            visible: tile.userCrop
                            text: qsTr("your crop")
                            color: root.muted
                            font.pixelSize: 11
                        }
                    }

                    MouseArea {
                        anchors.fill: parent
                        onClicked: {
                            grid.currentIndex = tile.index
                            grid.forceActiveFocus()
                        }
                        onDoubleClicked: {
                            if (tile.editable)
                                root.model.requestEditCrop(tile.page)
                        }
                    }
                }
            }
        }

        // The selected page, large, with what to know about it.
        ColumnLayout {
            id: zoomPanel
            objectName: "zoomPanel"
            Layout.fillHeight: true
            Layout.preferredWidth: root.width * 0.44
            Layout.maximumWidth: root.width * 0.5
            spacing: 8

            Label {
                objectName: "zoomTitle"
                Layout.fillWidth: true
                text: root.selection.title || ""
                color: root.ink
                font.bold: true
                font.pixelSize: 17
                elide: Text.ElideRight
            }

            Item {
                id: zoomArea
                Layout.fillWidth: true
                // As tall as the page needs, leaving room for the warnings right below it.
                Layout.preferredHeight: Math.max(120, Math.min(width / Math.max(0.3, root.pageAspect),
                                                               zoomPanel.height - 190))

                Rectangle {
                    // A soft shadow under the page.
                    readonly property real w: Math.min(zoomArea.width, zoomArea.height * root.pageAspect)
                    x: (zoomArea.width - w) / 2 + 3
                    y: (zoomArea.height - w / root.pageAspect) / 2 + 4
                    width: w
                    height: w / root.pageAspect
                    color: "#22000000"
                    radius: 3
                }
                // The tile scaled up until the large page is composed, so the panel is never empty.
                Image {
                    anchors.fill: parent
                    source: root.selection.tileUrl || ""
                    fillMode: Image.PreserveAspectFit
                    smooth: true
                    visible: zoomImage.status !== Image.Ready
                }
                Image {
                    id: zoomImage
                    objectName: "zoomImage"
                    anchors.fill: parent
                    source: root.selection.zoomUrl || ""
                    fillMode: Image.PreserveAspectFit
                    smooth: true
                    mipmap: true
                    Accessible.role: Accessible.Graphic
                    Accessible.name: qsTr("%1, enlarged").arg(root.selection.title || "")
                }
                MouseArea {
                    anchors.fill: parent
                    onDoubleClicked: {
                        if (root.selection.editable)
                            root.model.requestEditCrop(root.selection.page)
                    }
                }
            }

            Repeater {
                model: root.selection.warnings || []
                delegate: RowLayout {
                    required property string modelData
                    Layout.fillWidth: true
                    spacing: 6
                    Rectangle {
                        Layout.alignment: Qt.AlignTop
                        Layout.topMargin: 4
                        width: 10
                        height: 10
                        radius: 5
                        color: root.levelColor(root.selection.level)
                    }
                    Label {
                        objectName: "zoomWarning"
                        Layout.fillWidth: true
                        text: modelData
                        wrapMode: Text.WordWrap
                        color: root.ink
                    }
                }
            }
            Label {
                objectName: "zoomDetails"
                Layout.fillWidth: true
                text: {
                    if (root.selection.state === "empty")
                        return qsTr("No picture yet: generate one or use your own photo in the Generate step.")
                    if ((root.selection.warnings || []).length === 0 && root.selection.details)
                        return qsTr("Prints well. %1").arg(root.selection.details)
                    return root.selection.details || ""
                }
                wrapMode: Text.WordWrap
                color: root.muted
            }
            Item {
                Layout.fillHeight: true
            }
        }
    }
}
