// The table of certificate kinds besides "closedness" (docs/certificates.md): one checker file each.
#include "verify.hpp"

#include <map>

namespace verify {

KindResult check_fixed(const json& cert, const json* input, const std::string& input_name, Tally& tally);

KindResult check_flow(const json& cert, const json* input, const std::string& input_name, Tally& tally);

KindResult check_classf(const json& cert, const json* input, const std::string& input_name, Tally& tally);

KindChecker kind_checker(const std::string& kind) {
    static const std::map<std::string, KindChecker> table = {
        {"fixed", check_fixed},  // fixed.cpp
        {"flow", check_flow},    // flow.cpp
        {"classf", check_classf},  // classf.cpp
    };
    const auto it = table.find(kind);
    return it == table.end() ? nullptr : it->second;
}

}  // namespace verify
