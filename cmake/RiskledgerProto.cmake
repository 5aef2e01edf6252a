# riskledger_proto_library(<target> PROTOS <files...> [DEPS <targets...>] [GRPC])
# The one place that turns .proto files into a C++ library (messages, and gRPC
# stubs when GRPC is given). Import paths are rooted at ${PROJECT_SOURCE_DIR}/proto.
function(riskledger_proto_library target)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  add_library(${target} ${ARG_PROTOS})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  set(out_dir "${PROJECT_BINARY_DIR}/proto")
  target_include_directories(${target} PUBLIC "${out_dir}")
  protobuf_generate(TARGET ${target} LANGUAGE cpp
    IMPORT_DIRS "${PROJECT_SOURCE_DIR}/proto"
    PROTOC_OUT_DIR "${out_dir}")
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
    protobuf_generate(TARGET ${target} LANGUAGE grpc
      GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
      PLUGIN "protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>"
      IMPORT_DIRS "${PROJECT_SOURCE_DIR}/proto"
      PROTOC_OUT_DIR "${out_dir}")
  endif()
endfunction()
