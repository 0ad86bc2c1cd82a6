#include "device/warning_capture.h"

#include "common/log.h"
#include "device/error_translator.h"

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <mutex>
#include <set>

namespace stemdeck::device {

#if TORCH_VERSION_MAJOR >= 2
namespace handlerApi = c10::WarningUtils;
#else
namespace handlerApi = c10::Warning;
#endif

class WarningCapture::Impl : public c10::WarningHandler {
public:
    Impl(ProfileSink sink, std::string device) : m_sink(std::move(sink)), m_device(std::move(device)) {}

    // LibTorch 2.x passes a c10::Warning object and moved the handler functions to
    // c10::WarningUtils; 1.13 passes the parts and keeps them in namespace c10::Warning.
#if TORCH_VERSION_MAJOR >= 2
    void process(const c10::Warning& warning) override { handle(warning.msg()); }
#else
    void process(const c10::SourceLocation&, const std::string& msg, const bool) override { handle(msg); }
#endif

    void handle(const std::string& msg) {
        ProfileEvent event;
        bool first = false;
        {
            std::lock_guard lock(m_mutex);
            ++m_total;
            for (auto& w : m_warnings) {
                if (w.text == msg) {
                    ++w.count;
                    return;
                }
            }
            CapturedWarning w;
            w.text = msg;
            w.count = 1;
            if (const auto known = ErrorTranslator::explainWarning(msg)) {
                w.explanationId = known->id;
                // Several texts can share one explanation (different ops of the same kind):
                // explain each kind once.
                if (m_explained.insert(known->id).second) w.explanation = known->title + ": " + known->explanation;
            }
            m_warnings.push_back(w);
            first = true;
            event.kind = ProfileEvent::Kind::Warning;
            event.device = m_device;
            event.value = 1;
            event.message = w.explanation.empty() ? msg : msg + " -- " + w.explanation;
        }
        if (first) {
            SD_LOG(log::device, Warning) << "backend warning: " << event.message;
            if (m_sink) m_sink(event);
        }
    }

    mutable std::mutex m_mutex;
    ProfileSink m_sink;
    std::string m_device;
    int m_total = 0;
    std::vector<CapturedWarning> m_warnings;
    std::set<std::string> m_explained;
    c10::WarningHandler* m_previous = nullptr;
};

WarningCapture::WarningCapture(ProfileSink sink, std::string device)
    : m_impl(std::make_unique<Impl>(std::move(sink), std::move(device))) {
    m_impl->m_previous = handlerApi::get_warning_handler();
    handlerApi::set_warning_handler(m_impl.get());
}

WarningCapture::~WarningCapture() { handlerApi::set_warning_handler(m_impl->m_previous); }

int WarningCapture::total() const {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->m_total;
}

int WarningCapture::distinct() const {
    std::lock_guard lock(m_impl->m_mutex);
    return static_cast<int>(m_impl->m_warnings.size());
}

std::vector<CapturedWarning> WarningCapture::warnings() const {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->m_warnings;
}

} // namespace stemdeck::device
