// Copyright 2026 The bgpy Authors.
//
// bgpy.h: umbrella header for the bgpy::bgpy library.
#ifndef BGPY_BGPY_H_
#define BGPY_BGPY_H_

#include "bgpy/attributes.h"
#include "bgpy/capabilities.h"
#include "bgpy/collision.h"
#include "bgpy/decode_context.h"
#include "bgpy/errors.h"
#include "bgpy/evpn.h"
#include "bgpy/message.h"
#include "bgpy/negotiate.h"
#include "bgpy/nlri.h"
#include "bgpy/params.h"
#include "bgpy/route_distinguisher.h"
#include "bgpy/session.h"
#include "bgpy/types.h"
#include "bgpy/update.h"
#include "bgpy/version.h"
#include "bgpy/wire.h"

#endif  // BGPY_BGPY_H_
