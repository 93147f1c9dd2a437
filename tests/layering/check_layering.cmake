# cmake -DSOURCE_DIR=… -DLINKS_FILE=… -P check_layering.cmake
# Fails when a core source includes, or a core target links, Widgets, Quick,
# Qml or WebEngine.
set(forbidden_includes "#[ \t]*include[ \t]*[<\"](QtWidgets|QtQuick[A-Za-z]*|QtQml|QtWebEngine[A-Za-z]*|QWidget|QApplication|QQuick[A-Za-z]*|QQml[A-Za-z]*|QWebEngine[A-Za-z]*|QMainWindow|QDialog)")
set(forbidden_links "Qt6?::(Widgets|Quick[A-Za-z0-9]*|Qml[A-Za-z]*|WebEngine[A-Za-z]*)")

set(failures "")
file(GLOB_RECURSE sources "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.cpp")
if(NOT sources)
    message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
foreach(f IN LISTS sources)
    file(STRINGS "${f}" hits REGEX "${forbidden_includes}")
    foreach(h IN LISTS hits)
        string(APPEND failures "  ${f}: ${h}\n")
    endforeach()
endforeach()

# OpenCV and libvips stay inside core/imaging: no other core source includes them.
foreach(f IN LISTS sources)
    if(NOT f MATCHES "/imaging/")
        file(STRINGS "${f}" hits REGEX "#[ \t]*include[ \t]*[<\"](opencv2/|vips/)")
        foreach(h IN LISTS hits)
            string(APPEND failures "  ${f}: ${h} (OpenCV/libvips belong to core/imaging only)\n")
        endforeach()
    endif()
endforeach()

file(STRINGS "${LINKS_FILE}" link_lines)
if(NOT link_lines)
    message(FATAL_ERROR "no core targets listed in ${LINKS_FILE}")
endif()
foreach(line IN LISTS link_lines)
    if(line MATCHES "${forbidden_links}")
        string(APPEND failures "  links ${CMAKE_MATCH_0}: ${line}\n")
    endif()
    # Only calstudio_imaging may link OpenCV or libvips (and only PRIVATE, so it never appears in another line).
    if(NOT line MATCHES "^calstudio_imaging:" AND line MATCHES "(opencv_[a-z]+|PkgConfig::VIPS)")
        string(APPEND failures "  ${CMAKE_MATCH_0} outside core/imaging: ${line}\n")
    endif()
endforeach()

if(failures)
    message(FATAL_ERROR "core/ must not depend on Widgets, Quick, Qml or WebEngine:\n${failures}")
endif()
list(LENGTH sources n)
message(STATUS "layering ok: ${n} core sources, core link interfaces clean")
