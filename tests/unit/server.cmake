# Unit tests of the server's protocol code (no sockets). Included from
# tests/unit/CMakeLists.txt when the hs_server target exists.
add_executable(test_http1 ${CMAKE_CURRENT_LIST_DIR}/test_http1.c)
target_link_libraries(test_http1 PRIVATE hs_server)
add_test(NAME http1 COMMAND test_http1)

add_executable(test_http1_util ${CMAKE_CURRENT_LIST_DIR}/test_http1_util.c)
target_link_libraries(test_http1_util PRIVATE hs_server)
add_test(NAME http1_util COMMAND test_http1_util)

add_executable(test_routes ${CMAKE_CURRENT_LIST_DIR}/test_routes.c)
target_link_libraries(test_routes PRIVATE hs_server)
add_test(NAME routes COMMAND test_routes)

add_executable(test_metrics ${CMAKE_CURRENT_LIST_DIR}/test_metrics.c)
target_link_libraries(test_metrics PRIVATE hs_server)
add_test(NAME metrics COMMAND test_metrics)

# Admission through the in-memory exchange, one case per row of the table
# tests/integration/test_admission.py also runs over HTTP/1.1 and HTTP/2.
add_executable(test_admission ${CMAKE_CURRENT_LIST_DIR}/test_admission.c)
target_link_libraries(test_admission PRIVATE hs_server)
target_compile_definitions(test_admission PRIVATE
  HS_ADMISSION_CASES="${CMAKE_SOURCE_DIR}/tests/admission/cases.txt")
add_test(NAME admission COMMAND test_admission)

# The per-worker deadline heap that replaces per-connection timers (conn.c).
add_executable(test_deadlines ${CMAKE_CURRENT_LIST_DIR}/test_deadlines.c)
target_link_libraries(test_deadlines PRIVATE hs_server)
add_test(NAME deadlines COMMAND test_deadlines)

# The frame headers HTTP/2 reads ahead of nghttp2 (h2_scan.c).
add_executable(test_h2_scan ${CMAKE_CURRENT_LIST_DIR}/test_h2_scan.c)
target_link_libraries(test_h2_scan PRIVATE hs_server)
add_test(NAME h2_scan COMMAND test_h2_scan)
