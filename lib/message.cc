// Copyright 2026 The bgpy Authors.
//
// Dispatch over the five message types (framing is in framing.cc, UPDATE
// in update.cc).
#include "bgpy/message.h"

#include "bgpy/update.h"

namespace bgpy {

// --- Any message
// -------------------------------------------------------------------

MessageType TypeOf(const Message& m) {
  return static_cast<MessageType>(m.index() + 1);
}

absl::StatusOr<Message> DecodeMessage(wire::Bytes message,
                                      const SessionParams& params) {
  BGPY_ASSIGN_OR_RETURN(MessageHeader h,
                        CheckMessage(message, params.max_message_size()));
  switch (h.type) {
    case MessageType::kOpen: {
      BGPY_ASSIGN_OR_RETURN(Open o, DecodeOpen(message));
      return Message(std::move(o));
    }
    case MessageType::kUpdate: {
      BGPY_ASSIGN_OR_RETURN(Update u, DecodeUpdate(message, params));
      return Message(std::move(u));
    }
    case MessageType::kNotification: {
      BGPY_ASSIGN_OR_RETURN(Notification n, DecodeNotification(message));
      return Message(std::move(n));
    }
    case MessageType::kKeepalive:
      return Message(Keepalive{});
    case MessageType::kRouteRefresh: {
      BGPY_ASSIGN_OR_RETURN(RouteRefresh r, DecodeRouteRefresh(message));
      return Message(std::move(r));
    }
  }
  return absl::InternalError("unreachable");
}

absl::Status EncodeMessage(const Message& m, const SessionParams& params,
                           wire::Writer& w) {
  switch (TypeOf(m)) {
    case MessageType::kOpen:
      return EncodeOpen(std::get<Open>(m), w);
    case MessageType::kUpdate:
      return EncodeUpdate(std::get<Update>(m), params, w);
    case MessageType::kNotification:
      return EncodeNotification(std::get<Notification>(m), w);
    case MessageType::kKeepalive: {
      const size_t start = BeginMessage(MessageType::kKeepalive, w);
      return FinishMessage(start, kMaxMessageSize, w);
    }
    case MessageType::kRouteRefresh:
      return EncodeRouteRefresh(std::get<RouteRefresh>(m), w);
  }
  return absl::InternalError("unreachable");
}

absl::StatusOr<std::vector<uint8_t>> EncodeMessage(
    const Message& m, const SessionParams& params) {
  std::vector<uint8_t> out;
  out.reserve(64);
  {
    wire::Writer w(&out);
    BGPY_RETURN_IF_ERROR(EncodeMessage(m, params, w));
  }
  return out;
}

}  // namespace bgpy
