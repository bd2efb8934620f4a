#include "elf/elf_file.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace xtc::elf {
namespace {

// ELF constants (System V ABI, and the GNU and Arm supplements).
constexpr std::uint16_t k_et_rel = 1;
constexpr std::uint16_t k_et_exec = 2;
constexpr std::uint16_t k_et_dyn = 3;
constexpr std::uint32_t k_pt_dynamic = 2;
constexpr std::uint32_t k_pt_interp = 3;
constexpr std::uint32_t k_sht_dynamic = 6;
constexpr std::uint32_t k_sht_dynsym = 11;
constexpr std::uint32_t k_sht_gnu_verneed = 0x6ffffffe;
constexpr std::uint32_t k_sht_gnu_versym = 0x6fffffff;
constexpr std::uint32_t k_sht_arm_attributes = 0x70000003;
constexpr std::uint64_t k_dt_null = 0;
constexpr std::uint64_t k_dt_needed = 1;
constexpr std::uint64_t k_dt_soname = 14;
constexpr std::uint64_t k_dt_flags_1 = 0x6ffffffb;
constexpr std::uint64_t k_df_1_pie = 0x08000000;
constexpr std::uint16_t k_em_386 = 3;
constexpr std::uint16_t k_em_arm = 40;
constexpr std::uint16_t k_em_x86_64 = 62;
constexpr std::uint16_t k_em_aarch64 = 183;
constexpr std::uint16_t k_em_riscv = 243;
constexpr std::uint32_t k_ef_arm_abi_float_soft = 0x200;
constexpr std::uint32_t k_ef_arm_abi_float_hard = 0x400;
constexpr std::uint32_t k_ef_riscv_float_abi = 0x6;
// Tag_ABI_VFP_args in .ARM.attributes: 1 means arguments in VFP registers.
constexpr std::uint64_t k_tag_abi_vfp_args = 28;
// Sizes of the version table entries (the same in both classes).
constexpr std::size_t k_verneed_size = 16;
constexpr std::size_t k_vernaux_size = 16;

// Bounds-checked reads of one ELF image. Every accessor throws the file's
// "malformed" error instead of reading past the end.
class Image {
public:
  Image(std::span<const unsigned char> bytes, std::string_view display)
      : m_bytes(bytes), m_display(display) {}

  [[noreturn]] void fail(std::string_view what) const {
    throw Error(fmt::format("malformed ELF file '{}': {}", m_display, what),
                "the file is damaged or is not a program or library");
  }

  void set_format(bool is64, bool little) {
    m_64 = is64;
    m_little = little;
  }
  bool is64() const { return m_64; }
  std::size_t size() const { return m_bytes.size(); }

  // Checks that [offset, offset + length) is inside the file.
  void need(std::uint64_t offset, std::uint64_t length,
            std::string_view what) const {
    if (offset > m_bytes.size() || length > m_bytes.size() - offset) {
      fail(fmt::format("{} lies past the end of the file", what));
    }
  }

  std::uint64_t unsigned_at(std::uint64_t offset, unsigned width,
                            std::string_view what) const {
    need(offset, width, what);
    std::uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i) {
      const unsigned shift = m_little ? 8 * i : 8 * (width - 1 - i);
      value |= std::uint64_t{m_bytes[offset + i]} << shift;
    }
    return value;
  }
  std::uint16_t u16(std::uint64_t offset, std::string_view what) const {
    return static_cast<std::uint16_t>(unsigned_at(offset, 2, what));
  }
  std::uint32_t u32(std::uint64_t offset, std::string_view what) const {
    return static_cast<std::uint32_t>(unsigned_at(offset, 4, what));
  }
  // An address, offset or size: 4 bytes in ELF32, 8 in ELF64.
  std::uint64_t word(std::uint64_t offset, std::string_view what) const {
    return unsigned_at(offset, m_64 ? 8 : 4, what);
  }
  unsigned char byte(std::uint64_t offset, std::string_view what) const {
    need(offset, 1, what);
    return m_bytes[offset];
  }

  // The NUL-terminated string at `index` of a string table, which must end
  // inside the table.
  std::string string_at(std::uint64_t table, std::uint64_t table_size,
                        std::uint64_t index, std::string_view what) const {
    need(table, table_size, what);
    if (index >= table_size) {
      fail(fmt::format("{} names a string past its string table", what));
    }
    const auto* begin = m_bytes.data() + table + index;
    const auto* end = m_bytes.data() + table + table_size;
    const auto* nul = std::find(begin, end, static_cast<unsigned char>(0));
    if (nul == end) {
      fail(fmt::format("{} is a string that does not end", what));
    }
    return std::string(reinterpret_cast<const char*>(begin),
                       static_cast<std::size_t>(nul - begin));
  }

private:
  std::span<const unsigned char> m_bytes;
  std::string_view m_display;
  bool m_64 = true;
  bool m_little = true;
};

struct Section {
  std::uint32_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t link = 0;
  std::uint32_t info = 0;
};

std::string machine_name(std::uint16_t code, bool is64) {
  switch (code) {
  case k_em_386:
    return "i386";
  case k_em_arm:
    return "arm";
  case k_em_x86_64:
    return "x86_64";
  case k_em_aarch64:
    return "aarch64";
  case k_em_riscv:
    return is64 ? "riscv64" : "riscv32";
  default:
    return fmt::format("machine {}", code);
  }
}

// Reads an unsigned LEB128 number of .ARM.attributes; false at the end.
bool read_uleb(const Image& image, std::uint64_t& at, std::uint64_t end,
               std::uint64_t& value) {
  value = 0;
  for (unsigned shift = 0; at < end; shift += 7) {
    const unsigned char b = image.byte(at++, "an attribute");
    if (shift < 64) {
      value |= std::uint64_t{b & 0x7FU} << shift;
    }
    if ((b & 0x80U) == 0) {
      return true;
    }
  }
  return false;
}

// Tag_ABI_VFP_args from an .ARM.attributes section ("aeabi" vendor, file
// scope): whether arguments go in VFP registers, or nullopt when the section
// does not say. Objects carry their float ABI there rather than in the
// header's flags.
std::optional<bool> arm_vfp_args(const Image& image, const Section& section) {
  image.need(section.offset, section.size, "the Arm attributes section");
  const std::uint64_t end = section.offset + section.size;
  if (section.size < 1 || image.byte(section.offset, "attributes") != 'A') {
    return std::nullopt;
  }
  std::uint64_t at = section.offset + 1;
  while (at + 4 <= end) {
    const std::uint32_t length = image.u32(at, "an attribute subsection");
    if (length < 4 || length > end - at) {
      return std::nullopt;
    }
    const std::uint64_t sub_end = at + length;
    std::uint64_t p = at + 4;
    std::string vendor;
    while (p < sub_end && image.byte(p, "a vendor name") != 0) {
      vendor += static_cast<char>(image.byte(p++, "a vendor name"));
    }
    ++p;
    // Tag_File (1) and its size, then tag/value pairs.
    if (vendor == "aeabi" && p + 5 <= sub_end &&
        image.byte(p, "Tag_File") == 1) {
      const std::uint32_t file_size = image.u32(p + 1, "Tag_File's size");
      const std::uint64_t file_end =
          std::min<std::uint64_t>(sub_end, p + file_size);
      p += 5;
      std::uint64_t tag = 0;
      std::uint64_t value = 0;
      while (p < file_end && read_uleb(image, p, file_end, tag)) {
        // Strings: Tag_CPU_raw_name (4), Tag_CPU_name (5), Tag_conformance
        // (67), and Tag_compatibility (32) after its number; other odd tags
        // from 32 up are strings too, all else numbers.
        const bool string =
            tag == 4 || tag == 5 || tag == 67 || (tag > 32 && tag % 2 == 1);
        if (tag == 32 && !read_uleb(image, p, file_end, value)) {
          break;
        }
        if (string || tag == 32) {
          while (p < file_end && image.byte(p, "an attribute") != 0) {
            ++p;
          }
          ++p;
          continue;
        }
        if (!read_uleb(image, p, file_end, value)) {
          break;
        }
        if (tag == k_tag_abi_vfp_args) {
          // 0 base (soft-float) ABI, 1 VFP registers; 2 (toolchain's own)
          // and 3 (no floats passed: fits both) claim neither.
          return value <= 1 ? std::optional<bool>(value == 1) : std::nullopt;
        }
      }
      // Read to the end without the tag: its default, the base ABI.
      if (p >= file_end) {
        return false;
      }
    }
    at = sub_end;
  }
  return std::nullopt;
}

void describe_abi(const Image& image, std::uint32_t flags,
                  const std::vector<Section>& sections, Info& info) {
  if (info.machine_code == k_em_arm) {
    const std::uint32_t eabi = flags >> 24U;
    if ((flags & k_ef_arm_abi_float_hard) != 0) {
      info.arm_hard_float = true;
    } else if ((flags & k_ef_arm_abi_float_soft) != 0) {
      info.arm_hard_float = false;
    } else {
      for (const Section& section : sections) {
        if (section.type == k_sht_arm_attributes) {
          info.arm_hard_float = arm_vfp_args(image, section);
        }
      }
    }
    info.abi = eabi != 0 ? fmt::format("EABI{}", eabi) : "";
    if (info.arm_hard_float) {
      info.abi += std::string(info.abi.empty() ? "" : ", ") +
                  (*info.arm_hard_float ? "hard-float" : "soft-float");
    }
  } else if (info.machine_code == k_em_riscv) {
    static constexpr std::array<const char*, 4> k_float = {"", "f", "d", "q"};
    info.abi = fmt::format("{}{}", info.bits == 64 ? "lp64" : "ilp32",
                           k_float.at((flags & k_ef_riscv_float_abi) >> 1U));
  }
}

std::vector<Section> read_sections(const Image& image, std::uint64_t shoff,
                                   std::uint16_t shentsize,
                                   std::uint64_t shnum) {
  std::vector<Section> sections;
  if (shoff == 0) {
    return sections;
  }
  const std::uint64_t expected = image.is64() ? 64 : 40;
  if (shentsize < expected) {
    image.fail(fmt::format("its section headers are {} bytes, not {}",
                           shentsize, expected));
  }
  // More sections than fit in the file is damage, not a large program.
  if (shnum > image.size() / shentsize) {
    image.fail(fmt::format("it claims {} section headers", shnum));
  }
  image.need(shoff, shnum * shentsize, "the section header table");
  for (std::uint64_t i = 0; i < shnum; ++i) {
    const std::uint64_t at = shoff + i * shentsize;
    Section s;
    s.type = image.u32(at + 4, "a section header");
    const std::uint64_t w = image.is64() ? 8 : 4;
    s.offset = image.word(at + 8 + 2 * w, "a section header");
    s.size = image.word(at + 8 + 3 * w, "a section header");
    s.link = image.u32(at + 8 + 4 * w, "a section header");
    s.info = image.u32(at + 12 + 4 * w, "a section header");
    sections.push_back(s);
  }
  return sections;
}

const Section& linked(const Image& image, const std::vector<Section>& sections,
                      const Section& section, std::string_view what) {
  if (section.link >= sections.size()) {
    image.fail(fmt::format("{} links to section {}, which does not exist", what,
                           section.link));
  }
  return sections[section.link];
}

void read_dynamic(const Image& image, const std::vector<Section>& sections,
                  const Section& dynamic, Info& info, bool& pie) {
  const Section& strings =
      linked(image, sections, dynamic, "the dynamic section");
  const std::uint64_t entry = image.is64() ? 16 : 8;
  image.need(dynamic.offset, dynamic.size, "the dynamic section");
  for (std::uint64_t at = dynamic.offset;
       at + entry <= dynamic.offset + dynamic.size; at += entry) {
    const std::uint64_t tag = image.word(at, "a dynamic entry");
    const std::uint64_t value = image.word(at + entry / 2, "a dynamic entry");
    if (tag == k_dt_null) {
      break;
    }
    if (tag == k_dt_needed) {
      info.needed.push_back(image.string_at(strings.offset, strings.size, value,
                                            "a DT_NEEDED entry"));
    } else if (tag == k_dt_soname) {
      info.soname = image.string_at(strings.offset, strings.size, value,
                                    "the DT_SONAME entry");
    } else if (tag == k_dt_flags_1) {
      pie = (value & k_df_1_pie) != 0;
    }
  }
}

// The version requirements (.gnu.version_r): libraries and the versions
// needed from each. Returns the version name of each index (vna_other) for
// the symbols. Each chain is walked forward only, at most as many steps as
// the section can hold, so a loop ends in an error, not a hang.
std::map<std::uint16_t, std::string>
read_verneed(const Image& image, const std::vector<Section>& sections,
             const Section& verneed, Info& info) {
  std::map<std::uint16_t, std::string> names;
  const Section& strings =
      linked(image, sections, verneed, "the version table");
  image.need(verneed.offset, verneed.size, "the version table");
  const std::uint64_t end = verneed.offset + verneed.size;
  const std::uint64_t max_steps = verneed.size / k_vernaux_size + 1;
  std::uint64_t at = verneed.offset;
  std::uint64_t steps = 0;
  for (std::uint32_t n = 0; n < verneed.info; ++n) {
    if (at + k_verneed_size > end || ++steps > max_steps) {
      image.fail("its version table runs past its end or loops");
    }
    const std::uint16_t count = image.u16(at + 2, "a version need");
    Needed needed;
    needed.library = image.string_at(strings.offset, strings.size,
                                     image.u32(at + 4, "a version need"),
                                     "a version need's library");
    std::uint64_t aux = at + image.u32(at + 8, "a version need");
    for (std::uint16_t i = 0; i < count; ++i) {
      if (aux < at || aux + k_vernaux_size > end || ++steps > max_steps) {
        image.fail("its version table runs past its end or loops");
      }
      const std::uint16_t index = image.u16(aux + 6, "a version");
      std::string name =
          image.string_at(strings.offset, strings.size,
                          image.u32(aux + 8, "a version"), "a version name");
      names[index] = name;
      needed.versions.push_back(parse_symbol_version(name));
      const std::uint32_t next = image.u32(aux + 12, "a version");
      if (next == 0) {
        break;
      }
      aux += next;
    }
    info.version_needs.push_back(std::move(needed));
    const std::uint32_t next = image.u32(at + 12, "a version need");
    if (next == 0) {
      break;
    }
    at += next;
  }
  return names;
}

// Which undefined dynamic symbol needs which version (.gnu.version gives
// each .dynsym entry's version index).
void read_symbol_versions(const Image& image,
                          const std::vector<Section>& sections,
                          const Section& versym,
                          const std::map<std::uint16_t, std::string>& names,
                          Info& info) {
  const Section& symbols = linked(image, sections, versym, "the version index");
  if (symbols.type != k_sht_dynsym) {
    return;
  }
  const Section& strings =
      linked(image, sections, symbols, "the dynamic symbol table");
  const std::uint64_t entry = image.is64() ? 24 : 16;
  image.need(symbols.offset, symbols.size, "the dynamic symbol table");
  image.need(versym.offset, versym.size, "the version index");
  const std::uint64_t count = std::min(symbols.size / entry, versym.size / 2);
  for (std::uint64_t i = 1; i < count; ++i) {
    const std::uint64_t at = symbols.offset + i * entry;
    const std::uint16_t shndx =
        image.u16(at + (image.is64() ? 6 : 14), "a symbol");
    const std::uint16_t index =
        image.u16(versym.offset + 2 * i, "a version index") & 0x7FFFU;
    const auto name = names.find(index);
    if (shndx != 0 || name == names.end()) {
      continue; // defined here, or not versioned by a requirement
    }
    info.symbols_by_version[name->second].push_back(
        image.string_at(strings.offset, strings.size, image.u32(at, "a symbol"),
                        "a symbol name"));
  }
}

} // namespace

std::vector<unsigned> parse_dotted(std::string_view text) {
  std::vector<unsigned> numbers;
  while (!text.empty()) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) {
      return {};
    }
    numbers.push_back(value);
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (!text.empty()) {
      if (text.front() != '.' || text.size() == 1) {
        return {};
      }
      text.remove_prefix(1);
    }
  }
  return numbers;
}

SymbolVersion parse_symbol_version(std::string_view name) {
  SymbolVersion version{std::string(name), std::string(name), {}};
  const std::size_t underscore = name.rfind('_');
  if (underscore != std::string_view::npos) {
    std::vector<unsigned> numbers = parse_dotted(name.substr(underscore + 1));
    if (!numbers.empty()) {
      version.family = std::string(name.substr(0, underscore));
      version.numbers = std::move(numbers);
    }
  }
  return version;
}

bool version_less(const std::vector<unsigned>& a,
                  const std::vector<unsigned>& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

const SymbolVersion* Info::highest(std::string_view family) const {
  const SymbolVersion* best = nullptr;
  for (const Needed& library : version_needs) {
    for (const SymbolVersion& version : library.versions) {
      if (version.family == family && !version.numbers.empty() &&
          (best == nullptr || version_less(best->numbers, version.numbers))) {
        best = &version;
      }
    }
  }
  return best;
}

Info parse(std::span<const unsigned char> bytes, std::string_view display) {
  Image image(bytes, display);
  if (bytes.size() < 16 || bytes[0] != 0x7F || bytes[1] != 'E' ||
      bytes[2] != 'L' || bytes[3] != 'F') {
    image.fail("it does not start with the ELF magic number");
  }
  const unsigned char cls = bytes[4];
  const unsigned char data = bytes[5];
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) {
    image.fail(fmt::format("unknown class {} or byte order {}", cls, data));
  }
  image.set_format(cls == 2, data == 1);
  Info info;
  info.bits = cls == 2 ? 64 : 32;
  info.little_endian = data == 1;
  image.need(0, image.is64() ? 64 : 52, "the ELF header");
  const std::uint16_t type = image.u16(16, "the ELF header");
  info.machine_code = image.u16(18, "the ELF header");
  info.machine = machine_name(info.machine_code, image.is64());
  const std::uint64_t w = image.is64() ? 8 : 4;
  const std::uint64_t phoff = image.word(24 + w, "the ELF header");
  const std::uint64_t shoff = image.word(24 + 2 * w, "the ELF header");
  const std::uint64_t flags_at = 24 + 3 * w;
  const std::uint32_t flags = image.u32(flags_at, "the ELF header");
  const std::uint16_t phentsize = image.u16(flags_at + 6, "the ELF header");
  const std::uint16_t phnum = image.u16(flags_at + 8, "the ELF header");
  const std::uint16_t shentsize = image.u16(flags_at + 10, "the ELF header");
  std::uint64_t shnum = image.u16(flags_at + 12, "the ELF header");
  if (shnum == 0 && shoff != 0) {
    // More than 0xff00 sections: the count is section 0's size.
    shnum = image.word(shoff + 8 + 3 * w, "the first section header");
  }

  info.kind = type == k_et_exec  ? Kind::executable
              : type == k_et_dyn ? Kind::shared_library
              : type == k_et_rel ? Kind::relocatable
                                 : Kind::other;
  bool has_interp = false;
  bool has_dynamic = false;
  if (phoff != 0 && phnum != 0) {
    const std::uint64_t expected = image.is64() ? 56 : 32;
    if (phentsize < expected) {
      image.fail(fmt::format("its program headers are {} bytes, not {}",
                             phentsize, expected));
    }
    image.need(phoff, std::uint64_t{phnum} * phentsize,
               "the program header table");
    for (std::uint16_t i = 0; i < phnum; ++i) {
      const std::uint64_t at = phoff + std::uint64_t{i} * phentsize;
      const std::uint32_t p_type = image.u32(at, "a program header");
      if (p_type == k_pt_dynamic) {
        has_dynamic = true;
      } else if (p_type == k_pt_interp) {
        has_interp = true;
        const std::uint64_t offset =
            image.word(at + (image.is64() ? 8 : 4), "a program header");
        const std::uint64_t size =
            image.word(at + (image.is64() ? 32 : 16), "a program header");
        info.interpreter =
            image.string_at(offset, size, 0, "the interpreter's name");
      }
    }
  }

  const std::vector<Section> sections =
      read_sections(image, shoff, shentsize, shnum);
  bool pie = false;
  std::map<std::uint16_t, std::string> version_names;
  for (const Section& section : sections) {
    if (section.type == k_sht_dynamic) {
      read_dynamic(image, sections, section, info, pie);
    } else if (section.type == k_sht_gnu_verneed) {
      version_names = read_verneed(image, sections, section, info);
    }
  }
  for (const Section& section : sections) {
    if (section.type == k_sht_gnu_versym) {
      read_symbol_versions(image, sections, section, version_names, info);
    }
  }
  describe_abi(image, flags, sections, info);

  if (info.kind == Kind::executable || info.kind == Kind::shared_library) {
    if (has_interp) {
      info.linking = Linking::dynamic;
      info.kind = Kind::executable; // a PIE is an executable too
    } else if (info.kind == Kind::executable) {
      info.linking = Linking::fully_static;
    } else if (pie && has_dynamic) {
      info.linking = Linking::static_pie;
      info.kind = Kind::executable;
    }
  }
  return info;
}

bool is_archive(std::span<const unsigned char> bytes) {
  constexpr std::string_view k_magic = "!<arch>\n";
  return bytes.size() >= k_magic.size() &&
         std::equal(k_magic.begin(), k_magic.end(), bytes.begin());
}

std::vector<Member> parse_archive(std::span<const unsigned char> bytes,
                                  std::string_view display) {
  const auto fail = [&](std::string_view what) {
    return Error(fmt::format("malformed archive '{}': {}", display, what),
                 "the file is damaged or is not a static library");
  };
  const auto text = [&](std::uint64_t at, std::size_t length) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data() + at),
                            length);
  };
  constexpr std::size_t k_header = 60;
  std::vector<Member> members;
  std::string_view long_names;
  std::uint64_t at = 8;
  while (at + k_header <= bytes.size()) {
    std::string_view name = text(at, 16);
    name = name.substr(0, name.find_last_not_of(' ') + 1);
    std::uint64_t size = 0;
    const std::string_view size_field = text(at + 48, 10);
    const auto [end, ec] = std::from_chars(
        size_field.data(), size_field.data() + size_field.size(), size);
    if (ec != std::errc() || text(at + 58, 2) != "`\n") {
      throw fail(fmt::format("member header at byte {} is damaged", at));
    }
    const std::uint64_t data = at + k_header;
    if (size > bytes.size() - data) {
      throw fail(fmt::format("member at byte {} runs past the end", at));
    }
    std::string member_name(name);
    std::uint64_t content = data;
    std::uint64_t content_size = size;
    if (name == "//") {
      long_names = text(data, size);
    } else if (name.starts_with("/") && name.size() > 1 && name[1] >= '0' &&
               name[1] <= '9') {
      // GNU: "/<offset>" into the long-name table, each ending in "/\n".
      std::size_t offset = 0;
      std::from_chars(name.data() + 1, name.data() + name.size(), offset);
      if (offset >= long_names.size()) {
        throw fail("a member's long name is past the name table");
      }
      const std::string_view rest = long_names.substr(offset);
      member_name = std::string(rest.substr(0, rest.find('\n')));
      if (member_name.ends_with('/')) {
        member_name.pop_back();
      }
    } else if (name.starts_with("#1/")) {
      // BSD: the name's length, then the name in front of the data.
      std::size_t length = 0;
      std::from_chars(name.data() + 3, name.data() + name.size(), length);
      if (length > size) {
        throw fail("a member's name is longer than the member");
      }
      member_name = std::string(text(data, length));
      member_name = member_name.substr(0, member_name.find('\0'));
      content += length;
      content_size -= length;
    } else if (name.ends_with('/') && name != "/") {
      member_name.pop_back();
    }
    const std::span<const unsigned char> body =
        bytes.subspan(content, content_size);
    if (name != "/" && name != "//" && name != "/SYM64/" && body.size() >= 4 &&
        body[0] == 0x7F && body[1] == 'E' && body[2] == 'L' && body[3] == 'F') {
      members.push_back({member_name, parse(body, fmt::format("{}({})", display,
                                                              member_name))});
    }
    at = data + size + (size % 2); // members are 2-byte aligned
  }
  return members;
}

} // namespace xtc::elf
