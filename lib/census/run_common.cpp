#include "census/run_common.hpp"

#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

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

}  // namespace closecert::census
