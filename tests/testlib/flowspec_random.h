// Copyright 2026 The bgpy Authors.
//
// flowspec_random.h: seeded random FlowSpec rules for property tests.
#ifndef BGPY_TESTS_TESTLIB_FLOWSPEC_RANDOM_H_
#define BGPY_TESTS_TESTLIB_FLOWSPEC_RANDOM_H_

#include <random>

#include "bgpy/flowspec.h"

namespace bgpy::testing {

// A valid rule of the AFI (an RD when `vpn`): each component type present
// or not, prefixes with random lengths (and IPv6 offsets), 1-4 terms with
// random operators, AND bits and lengths 1/2/4/8, values both minimal and
// not for their length. Sometimes no component at all.
FlowspecRule RandomFlowspecRule(Afi afi, bool vpn, std::mt19937_64& rng);

}  // namespace bgpy::testing

#endif  // BGPY_TESTS_TESTLIB_FLOWSPEC_RANDOM_H_
