"""Python test harness for the etcd-proxy buildpack's integration tests.

Each module holds one concept: free ports, bounded waiting, subprocesses, a test PKI,
a local etcd cluster, a scriptable download server and forward proxy, test tarballs,
buildpack copies, a CNB lifecycle emulator and a Cloud Foundry staging emulator.
Everything listens on 127.0.0.1, every wait is bounded, and every process and
temporary directory is cleaned up. Run with Debian's /usr/bin/python3.
"""
