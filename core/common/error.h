// StemDeck's one error type for the plain-C++ core layers: a stable code for programs and tests,
// a plain-language message for people (what happened, to which file), and optional raw detail.
#pragma once

#include <stdexcept>
#include <string>

namespace stemdeck {

enum class ErrorCode {
    InvalidArgument,   // a caller or user passed a value that cannot work
    FileNotFound,      // an input path does not exist
    UnreadableFile,    // exists but cannot be decoded / parsed
    UnsupportedFormat, // a format or variant StemDeck does not read or write
    EmptyInput,        // zero-length audio, empty config
    NonFiniteAudio,    // NaN or Inf samples
    InvalidConfig,     // a model config value is missing or out of range
    InvalidCheckpoint, // container, pickle or safetensors problems
    UnsafeCheckpoint,  // a pickle names a global StemDeck refuses to run
    WeightMismatch,    // config and checkpoint disagree
    DestinationExists, // the target file exists and overwriting was not asked for
    DestinationReadOnly,
    DestinationFull,
    WriteFailed,
    Clipping,          // export would clip and the policy is to refuse
    OutOfMemory,
    DeviceUnavailable,
    BackendFailure,    // a LibTorch/CUDA/MPS error that is not out-of-memory
    NumericalFailure,  // NaN/Inf produced by the model
    Cancelled,
    Internal,
};

const char* errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string message, std::string detail = {})
        : std::runtime_error(message), m_code(code), m_detail(std::move(detail)) {}

    ErrorCode code() const noexcept { return m_code; }
    // Raw text from the library that failed (libsndfile, yaml-cpp, LibTorch), for "details".
    const std::string& detail() const noexcept { return m_detail; }

private:
    ErrorCode m_code;
    std::string m_detail;
};

} // namespace stemdeck
