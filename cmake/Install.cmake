# `cmake --install build --prefix P`: the resample command, the engine and study libraries with
# their public headers, a CMake package (find_package(resample CONFIG) -> resample::engine,
# resample::study), a pkg-config file, the data set, man pages and bash completion.
# Every installed path is relative to P, so the prefix can be moved as a whole.
include(CMakePackageConfigHelpers)

set(RESAMPLE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/resample)

install(TARGETS resample RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set_target_properties(resample_engine PROPERTIES EXPORT_NAME engine)
set_target_properties(resample_study PROPERTIES EXPORT_NAME study)
install(TARGETS resample_engine resample_study EXPORT resampleTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Public headers only: the engine's private ones live in engine/src and are never installed.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/ ${PROJECT_SOURCE_DIR}/study/include/
                  ${CMAKE_BINARY_DIR}/generated/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")

install(EXPORT resampleTargets NAMESPACE resample:: DESTINATION ${RESAMPLE_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/resampleConfig.cmake.in
  ${CMAKE_BINARY_DIR}/resampleConfig.cmake INSTALL_DESTINATION ${RESAMPLE_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/resampleConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/resampleConfig.cmake ${CMAKE_BINARY_DIR}/resampleConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/FindRandom123.cmake
        DESTINATION ${RESAMPLE_CMAKE_DIR})

# The .pc file names its prefix relative to itself (pkg-config's ${pcfiledir}), so a moved prefix works.
file(RELATIVE_PATH RESAMPLE_PC_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" RESAMPLE_PC_PREFIX "${RESAMPLE_PC_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/resample.pc.in ${CMAKE_BINARY_DIR}/resample.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/resample.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${RESAMPLE_DATA_FILES}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/resample)
install(FILES ${CMAKE_BINARY_DIR}/share/bash-completion/completions/resample
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
if(RESAMPLE_MAN_PAGES)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/share/man/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          FILES_MATCHING PATTERN "*.1")
endif()
