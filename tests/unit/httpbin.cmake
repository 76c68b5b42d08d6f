# Unit tests of src/httpbin (hs_httpbin_util), one executable per module.
foreach(m utf8 b64 form url jsonfmt encode digest random images)
  add_executable(test_hb_${m} test_hb_${m}.c)
  target_link_libraries(test_hb_${m} PRIVATE hs_httpbin_util)
  add_test(NAME hb_${m} COMMAND test_hb_${m})
endforeach()
# jsonfmt's hs_buf_t adapter calls the server's buffer code; compile just that
# file in, so the test does not depend on the rest of the server building.
target_sources(test_hb_jsonfmt PRIVATE ${PROJECT_SOURCE_DIR}/src/server/buf.c)
# encode's test decodes with the reference decoders.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HB_TEST_BROTLIDEC REQUIRED IMPORTED_TARGET libbrotlidec)
target_link_libraries(test_hb_encode PRIVATE PkgConfig::HB_TEST_BROTLIDEC)
