import QtQuick
import QtTest
import CalendarStudio

// The page preview: it paints, pages with buttons and keys, stops at the
// cover and the last month, and repaints when the model changes.
Item {
    id: window
    width: 620
    height: 760

    CalendarPreviewModel {
        id: previewModel
        title: "Test Calendar"
        year: 2027
        startMonth: 8
        locale: "en_US"
        holidayRegion: "US"
    }

    CalendarPreview {
        id: preview
        anchors.fill: parent
        model: previewModel
    }

    TestCase {
        id: test
        name: "CalendarPreview"
        when: windowShown

        function pagePreview() {
            return findChild(preview, "pagePreview")
        }
        function label() {
            return findChild(preview, "pageLabel").text
        }
        function init() {
            preview.pageIndex = 0
            previewModel.locale = "en_US"
            previewModel.startMonth = 8
            previewModel.layoutId = "photo-above"
            preview.forceActiveFocus()
        }

        function test_itemExists() {
            const page = pagePreview()
            verify(page !== null)
            compare(page.model, previewModel)
            verify(page.width > 300 && page.height > 300)
            verify(page.pageRect.width > 0)
            // A portrait page: taller than wide, centred in the item.
            fuzzyCompare(page.pageRect.width / page.pageRect.height, 8.5 / 11, 0.01)
            compare(previewModel.pageCount, 13)
        }

        function test_pagingWithButtons() {
            compare(label(), "Page 1 of 13 — Cover")
            const previous = findChild(preview, "previousButton")
            const next = findChild(preview, "nextButton")
            verify(!previous.enabled)
            mouseClick(next)
            compare(preview.pageIndex, 1)
            compare(label(), "Page 2 of 13 — August 2027")
            mouseClick(next)
            compare(label(), "Page 3 of 13 — September 2027")
            mouseClick(previous)
            mouseClick(previous)
            compare(preview.pageIndex, 0)
            // Stops at the cover...
            preview.previous()
            compare(preview.pageIndex, 0)
            // ...and at the last month.
            for (let i = 0; i < 20; ++i)
                preview.next()
            compare(preview.pageIndex, 12)
            compare(label(), "Page 13 of 13 — July 2028")
            verify(!next.enabled)
            verify(previous.enabled)
        }

        function test_keys() {
            verify(preview.activeFocus)
            keyClick(Qt.Key_PageDown)
            compare(preview.pageIndex, 1)
            keyClick(Qt.Key_Right)
            compare(preview.pageIndex, 2)
            keyClick(Qt.Key_Left)
            compare(preview.pageIndex, 1)
            keyClick(Qt.Key_PageUp)
            keyClick(Qt.Key_PageUp)
            compare(preview.pageIndex, 0)
            keyClick(Qt.Key_End)
            compare(preview.pageIndex, 12)
            keyClick(Qt.Key_PageDown)
            compare(preview.pageIndex, 12)
            keyClick(Qt.Key_Home)
            compare(preview.pageIndex, 0)
        }

        function test_labelFollowsTheSpan() {
            preview.pageIndex = 2
            compare(label(), "Page 3 of 13 — September 2027")
            previewModel.startMonth = 1
            compare(label(), "Page 3 of 13 — February 2027")
        }

        function test_repaintsWhenTheModelChanges() {
            const page = pagePreview()
            preview.pageIndex = 3 // October 2027
            waitForRendering(page)
            const english = grabImage(page)

            previewModel.locale = "de_DE"
            waitForRendering(page)
            const german = grabImage(page)
            verify(!english.equals(german), "the month title and weekdays follow the language")

            preview.pageIndex = 4
            waitForRendering(page)
            verify(!german.equals(grabImage(page)), "another month is another picture")

            previewModel.locale = "en_US"
            preview.pageIndex = 3
            waitForRendering(page)
            verify(english.equals(grabImage(page)), "the same state paints the same page")
        }

        function test_sideBySideIsLandscape() {
            const page = pagePreview()
            previewModel.layoutId = "side-by-side"
            fuzzyCompare(previewModel.aspectRatio, 11 / 8.5, 0.001)
            tryVerify(function() { return page.pageRect.width > page.pageRect.height })
            previewModel.pageFormat = CalendarPreviewModel.Square
            tryVerify(function() { return Math.abs(page.pageRect.width - page.pageRect.height) <= 1 })
            previewModel.pageFormat = CalendarPreviewModel.Auto
        }

        function test_holidaysAndDisabling() {
            // US Independence Day is printed unless switched off.
            preview.pageIndex = previewModel.pageOfDate(new Date(2028, 6, 4))
            compare(preview.pageIndex, 12)
            const page = pagePreview()
            waitForRendering(page)
            const withHoliday = grabImage(page)
            previewModel.disabledHolidays = ["independence-day"]
            waitForRendering(page)
            verify(!withHoliday.equals(grabImage(page)))
            previewModel.disabledHolidays = []
        }
    }
}
