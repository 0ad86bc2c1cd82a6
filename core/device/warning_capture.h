// Captures LibTorch's backend warnings (TORCH_WARN) while it lives (seed items 15 and 20):
// counts them, keeps each distinct text once, explains the known ones once (through
// ErrorTranslator) and emits one ProfileEvent::Warning per distinct warning instead of spraying
// the console. Plain C++ header; the c10::WarningHandler sits in the .cpp.
#pragma once

#include "common/profile_event.h"

#include <memory>
#include <string>
#include <vector>

namespace stemdeck::device {

struct CapturedWarning {
    std::string text;        // the warning as LibTorch wrote it
    int count = 0;           // how often it came
    std::string explanationId; // ErrorTranslator id when known, else empty
    std::string explanation;   // plain text shown once
};

class WarningCapture {
public:
    // Installs the handler; the destructor restores the previous one, so captures nest like
    // scopes. LibTorch keeps the handler per thread (1.13 too, despite its header's "global";
    // tst_device_backend warningCapturesOnTwoThreadsStayApart): create the capture on the thread
    // that runs the model, and captures of two jobs on two threads stay apart. `device` tags
    // the profile events.
    explicit WarningCapture(ProfileSink sink = {}, std::string device = {});
    ~WarningCapture();
    WarningCapture(const WarningCapture&) = delete;
    WarningCapture& operator=(const WarningCapture&) = delete;

    int total() const;     // every warning, repeats included
    int distinct() const;  // distinct texts
    std::vector<CapturedWarning> warnings() const; // in order of first appearance

    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace stemdeck::device
