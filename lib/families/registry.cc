// Copyright 2026 The bgpy Authors.
#include "families/registry.h"

namespace bgpy {

absl::Span<const FamilyDesc* const> RegisteredFamilies() {
  static const FamilyDesc* const kRows[] = {
#define BGPY_FAMILY(row) &internal::row,
#include "families/registry.inc"
#undef BGPY_FAMILY
  };
  return kRows;
}

}  // namespace bgpy
