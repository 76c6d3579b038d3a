#include "census/run_common.hpp"

#include <condition_variable>
#include <iomanip>
#include <thread>
#include <vector>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "engine/engine.hpp"

namespace closecert::census {

namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& prefix) {
    std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory");
    path = tmpl;
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

std::string progress_line(const std::string& label, const Counters& c, std::size_t total, double elapsed, bool bar) {
    const std::size_t done = c.done.load();
    std::ostringstream os;
    if (bar) os << "\r";
    if (!label.empty()) os << label << " ";
    if (bar) {
        constexpr int width = 30;
        const int fill = total ? static_cast<int>(width * done / total) : width;
        os << "[" << std::string(fill, '#') << std::string(width - fill, '.') << "] ";
    }
    os << done << "/" << total << "  closed " << c.closed << "  not closed " << c.not_closed << "  unknown "
       << c.unknown << "  failures " << c.failures << "  " << std::fixed << std::setprecision(0) << elapsed << "s";
    if (done > 0 && done < total) os << "  eta " << elapsed * static_cast<double>(total - done) / static_cast<double>(done) << "s";
    if (bar) os << "   ";
    return os.str();
}

void run_workers(unsigned jobs, std::size_t tasks, const std::function<void()>& work, const std::string& label,
                 const Counters& counters, bool show, bool tty, std::ostream& log, std::mutex& log_mutex,
                 std::chrono::steady_clock::time_point start) {
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    std::mutex stop_mutex;
    std::condition_variable stop_cv;
    bool stop = false;
    std::thread reporter;
    if (show && tasks > 0) {
        reporter = std::thread([&] {
            const auto period = tty ? std::chrono::milliseconds(250) : std::chrono::milliseconds(10000);
            std::unique_lock<std::mutex> lock(stop_mutex);
            while (!stop_cv.wait_for(lock, period, [&] { return stop; })) {
                std::lock_guard<std::mutex> ol(log_mutex);
                log << progress_line(label, counters, tasks, elapsed(), tty) << (tty ? "" : "\n") << std::flush;
            }
        });
    }
    std::vector<std::thread> workers;
    for (unsigned w = 1; w < jobs && w < tasks; ++w)
        workers.emplace_back([&] {
            work();
            engine::release_thread_caches();  // FLINT's per-thread caches would leak with the thread
        });
    work();
    for (auto& th : workers) th.join();
    if (reporter.joinable()) {
        {
            std::lock_guard<std::mutex> lock(stop_mutex);
            stop = true;
        }
        stop_cv.notify_all();
        reporter.join();
        log << progress_line(label, counters, tasks, elapsed(), tty) << "\n";
    }
}

}  // namespace closecert::census
