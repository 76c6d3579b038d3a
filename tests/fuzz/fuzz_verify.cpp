// libFuzzer harness: the checker on any certificate text (and the same text as an ARCH file).
// Any answer is fine; a crash, hang, leak or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

#include "verify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const verify::json cert = verify::parse_document(text);
        verify::verify_documents(cert, &cert, "the input");
    } catch (const verify::InputError&) {
    } catch (const verify::ArchFileError&) {
    } catch (const verify::Reject&) {
    } catch (const std::bad_alloc&) {
    }
    return 0;
}
