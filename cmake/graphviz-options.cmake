# What scripts/graph.sh draws (copied into its build directory as CMakeGraphVizOptions.cmake):
# our libraries, executables and the third-party libraries they link (graph.sh configures without
# tests; bp_warnings is an interface target for warning flags only).
set(GRAPHVIZ_GRAPH_NAME "etcd-proxy buildpack")
set(GRAPHVIZ_IGNORE_TARGETS "bp_warnings;Threads::Threads")
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_CUSTOM_TARGETS FALSE)
