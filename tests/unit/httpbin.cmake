# Unit tests of src/httpbin (hs_httpbin_util), one executable per module.
foreach(m form url jsonfmt encode digest random images)
  add_executable(test_hb_${m} test_hb_${m}.c)
  target_link_libraries(test_hb_${m} PRIVATE hs_httpbin_util)
  add_test(NAME hb_${m} COMMAND test_hb_${m})
endforeach()
# encode's test decodes with the reference decoders.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HB_TEST_BROTLIDEC REQUIRED IMPORTED_TARGET libbrotlidec)
target_link_libraries(test_hb_encode PRIVATE PkgConfig::HB_TEST_BROTLIDEC)
