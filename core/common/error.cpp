#include "common/error.h"

namespace stemdeck {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::FileNotFound: return "file-not-found";
    case ErrorCode::UnreadableFile: return "unreadable-file";
    case ErrorCode::UnsupportedFormat: return "unsupported-format";
    case ErrorCode::EmptyInput: return "empty-input";
    case ErrorCode::NonFiniteAudio: return "non-finite-audio";
    case ErrorCode::InvalidConfig: return "invalid-config";
    case ErrorCode::InvalidCheckpoint: return "invalid-checkpoint";
    case ErrorCode::UnsafeCheckpoint: return "unsafe-checkpoint";
    case ErrorCode::WeightMismatch: return "weight-mismatch";
    case ErrorCode::DestinationExists: return "destination-exists";
    case ErrorCode::DestinationReadOnly: return "destination-read-only";
    case ErrorCode::DestinationFull: return "destination-full";
    case ErrorCode::WriteFailed: return "write-failed";
    case ErrorCode::Clipping: return "clipping";
    case ErrorCode::OutOfMemory: return "out-of-memory";
    case ErrorCode::DeviceUnavailable: return "device-unavailable";
    case ErrorCode::BackendFailure: return "backend-failure";
    case ErrorCode::NumericalFailure: return "numerical-failure";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

} // namespace stemdeck
