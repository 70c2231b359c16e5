# Included by fuzz.cmake (replay tests) and CMakeLists.txt (libFuzzer).
# Every registered family (FamilyDesc::name, RegisteredFamilies() order):
# one NLRI fuzz target each, nlri_<name, "-" as "_">_fuzzer (libFuzzer,
# tests/fuzz/CMakeLists.txt) and one replay test each, fuzz_replay.nlri.<name>.
# The test fuzz_replay.nlri_families_listed fails when a registered family
# is missing here.
set(BGPY_FUZZ_FAMILIES
  ipv4-unicast
  ipv6-unicast
  ipv4-multicast
  ipv6-multicast
  ipv4-labelled-unicast
  ipv6-labelled-unicast
  l3vpn-ipv4-unicast
  l3vpn-ipv6-unicast
  l2vpn-evpn
  ipv4-flowspec
  ipv6-flowspec
  l3vpn-ipv4-flowspec
  l3vpn-ipv6-flowspec
  rtc)
