#include "model/formats/pickle.h"

#include "model/formats/errors.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace stemdeck::model::formats::pickle {

namespace {

// The opcodes this reader understands (Python's Lib/pickle.py names them the same way).
enum Op : std::uint8_t {
    MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2',
    BININT = 'J', BININT1 = 'K', BININT2 = 'M', NONE = 'N',
    BINPERSID = 'Q', REDUCE = 'R', BINSTRING = 'T', SHORT_BINSTRING = 'U', BINUNICODE = 'X',
    APPEND = 'a', BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}', APPENDS = 'e',
    BINGET = 'h', INST = 'i', LONG_BINGET = 'j', LIST = 'l', EMPTY_LIST = ']', OBJ = 'o',
    BINPUT = 'q', LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80, NEWOBJ = 0x81, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87,
    NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b,
    BINBYTES = 'B', SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f,
    ADDITEMS = 0x90, FROZENSET = 0x91, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95,
};

constexpr std::size_t kMaxLine = 256;      // GLOBAL / INST module and name lines
constexpr std::uint64_t kMaxStorageNumel = std::uint64_t{1} << 56;

// Names from the file go into messages: keep them printable and short.
std::string printable(const std::string& text) {
    std::string out;
    for (char c : text.substr(0, 120)) {
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    if (text.size() > 120) out += "...";
    return out;
}

bool validStorageKey(const std::string& key) {
    if (key.empty() || key.size() > 128 || key == "." || key == "..") return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
               c == '-' || c == '.';
    });
}

} // namespace

const char* kindName(Kind kind) {
    switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::Global: return "global";
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
    }
    return "?";
}

bool Value::isContainer() const {
    return m_kind == Kind::List || m_kind == Kind::Tuple || m_kind == Kind::Dict || m_kind == Kind::Set;
}

ValuePtr Value::find(const std::string& key) const {
    const auto it = m_index.find("s" + key);
    return it == m_index.end() ? nullptr : entries[it->second].second;
}

class Unpickler {
public:
    Unpickler(std::span<const std::byte> data, const std::string& source, const Limits& limits)
        : m_data(data), m_source(source), m_limits(limits) {}

    ValuePtr run();

private:
    [[noreturn]] void malformed(const std::string& problem) const {
        detail::invalid(m_source, "malformed checkpoint pickle at byte " + std::to_string(m_opStart) + ": " +
                                      problem);
    }

    // ---- reading ----------------------------------------------------------------------
    const std::byte* take(std::uint64_t n) {
        if (n > m_data.size() - m_pos) malformed("the data ends in the middle of an opcode (truncated)");
        const std::byte* p = m_data.data() + m_pos;
        m_pos += static_cast<std::size_t>(n);
        return p;
    }
    std::uint64_t readLE(int bytes) {
        const std::byte* p = take(static_cast<std::uint64_t>(bytes));
        std::uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
        return v;
    }
    std::string readText(std::uint64_t n) {
        if (n > m_limits.maxStringBytes) {
            malformed("a string of " + std::to_string(n) + " bytes exceeds the limit of " +
                      std::to_string(m_limits.maxStringBytes));
        }
        const std::byte* p = take(n);
        return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }
    std::string readLine() {
        std::string line;
        while (true) {
            const char c = static_cast<char>(*take(1));
            if (c == '\n') return line;
            if (line.size() >= kMaxLine) malformed("a GLOBAL name is longer than 256 bytes");
            line += c;
        }
    }

    // ---- stack ------------------------------------------------------------------------
    std::size_t floor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    void push(ValuePtr v) {
        if (m_stack.size() >= m_limits.maxStack) malformed("the stack grows past its limit");
        m_stack.push_back(std::move(v));
    }
    ValuePtr pop() {
        if (m_stack.size() <= floor()) malformed("stack underflow");
        ValuePtr v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    const ValuePtr& top() const {
        if (m_stack.size() <= floor()) malformed("stack underflow");
        return m_stack.back();
    }
    std::vector<ValuePtr> popMark() {
        if (m_marks.empty()) malformed("no MARK to pop to");
        const std::size_t at = m_marks.back();
        m_marks.pop_back();
        std::vector<ValuePtr> items(std::make_move_iterator(m_stack.begin() + static_cast<std::ptrdiff_t>(at)),
                                    std::make_move_iterator(m_stack.end()));
        m_stack.resize(at);
        return items;
    }

    // ---- containers -------------------------------------------------------------------
    static ValuePtr make(Kind kind) { return std::make_shared<Value>(kind); }

    // Every insertion goes through here: it bounds depth and element count and freezes the
    // child, so a container that is already inside another can never change (no cycles,
    // and a depth computed once stays true).
    void adopt(Value& parent, const ValuePtr& child) {
        if (child.get() == &parent) malformed("a container contains itself (recursive data is not supported)");
        if (child->isContainer() || child->kind() == Kind::Tensor) child->m_frozen = true;
        const std::size_t depth = child->m_depth + 1;
        if (depth > m_limits.maxDepth) {
            malformed("containers nested deeper than " + std::to_string(m_limits.maxDepth) + " levels");
        }
        parent.m_depth = std::max(parent.m_depth, depth);
        if (++m_elements > m_limits.maxElements) {
            malformed("more than " + std::to_string(m_limits.maxElements) + " container elements");
        }
    }
    Value& mutableTop(Kind kind, const char* op) {
        Value& v = *top();
        if (v.kind() != kind) malformed(std::string(op) + " on a " + kindName(v.kind()) + ", expected a " + kindName(kind));
        if (v.m_frozen) malformed(std::string(op) + " changes a container after it was used (recursive data is not supported)");
        return v;
    }
    void append(Value& list, ValuePtr item) {
        adopt(list, item);
        list.items.push_back(std::move(item));
    }
    static std::string indexKey(const Value& key) {
        if (key.kind() == Kind::String) return "s" + key.text;
        if (key.kind() == Kind::Int) return "i" + std::to_string(key.integer);
        return {};
    }
    void setItem(Value& dict, ValuePtr key, ValuePtr value) {
        adopt(dict, key);
        adopt(dict, value);
        const std::string index = indexKey(*key);
        if (!index.empty()) {
            const auto [it, inserted] = dict.m_index.emplace(index, dict.entries.size());
            if (!inserted) { // Python semantics: a repeated key replaces the value in place
                dict.entries[it->second].second = std::move(value);
                return;
            }
        }
        dict.entries.emplace_back(std::move(key), std::move(value));
    }
    ValuePtr makeTuple(std::vector<ValuePtr> items) {
        ValuePtr t = make(Kind::Tuple);
        for (const auto& item : items) adopt(*t, item);
        t->items = std::move(items);
        return t;
    }

    // ---- memo -------------------------------------------------------------------------
    void memoPut(std::uint64_t index) {
        if (m_memo.size() >= m_limits.maxMemo && !m_memo.count(index)) malformed("the memo grows past its limit");
        m_memo[index] = top();
    }
    void memoGet(std::uint64_t index) {
        const auto it = m_memo.find(index);
        if (it == m_memo.end()) malformed("memo entry " + std::to_string(index) + " was never stored");
        push(it->second);
    }

    // ---- globals, calls and storages --------------------------------------------------
    ValuePtr makeGlobal(std::string module, const std::string& name);
    ValuePtr reduce(const Value& callable, const Value& args);
    ValuePtr rebuildTensor(const Value& args);
    ValuePtr persistentLoad(const Value& pid);
    std::int64_t intArg(const Value& v, const char* what) {
        if (v.kind() != Kind::Int) malformed(std::string(what) + " is a " + kindName(v.kind()) + ", expected an int");
        return v.integer;
    }

    std::span<const std::byte> m_data;
    const std::string& m_source;
    const Limits& m_limits;
    std::size_t m_pos = 0;
    std::size_t m_opStart = 0;
    std::vector<ValuePtr> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, ValuePtr> m_memo;
    std::unordered_map<std::string, std::shared_ptr<const Storage>> m_storages;
    std::size_t m_elements = 0;
};

ValuePtr Unpickler::makeGlobal(std::string module, const std::string& name) {
    if (module == "__builtin__") module = "builtins"; // protocol 2 files written by Python 2
    const std::string full = module + "." + name;
    ValuePtr g = make(Kind::Global);
    g->text = full;
    if (full == "collections.OrderedDict") {
        g->callable = Callable::OrderedDict;
    } else if (full == "torch._utils._rebuild_tensor_v2") {
        g->callable = Callable::RebuildTensorV2;
    } else if (full == "torch._utils._rebuild_parameter") {
        g->callable = Callable::RebuildParameter;
    } else if (full == "torch._utils._rebuild_parameter_with_state") {
        g->callable = Callable::RebuildParameterWithState;
    } else if (full == "builtins.set") {
        g->callable = Callable::Set;
    } else if (full == "builtins.frozenset") {
        g->callable = Callable::FrozenSet;
    } else if (module == "torch" && name.ends_with("Storage")) {
        const auto dtype = dtypeFromTorchStorageName(name);
        if (!dtype) {
            detail::invalid(m_source, "the checkpoint uses the storage type '" + printable(full) +
                                          "', which StemDeck does not read");
        }
        g->callable = Callable::StorageType;
        g->storageDType = *dtype;
    } else {
        detail::fail(ErrorCode::UnsafeCheckpoint, m_source,
                     "the checkpoint's pickle names the global '" + printable(full) +
                         "', which StemDeck refuses to load: a state dict holds only tensors and plain "
                         "data, and loading a checkpoint never runs code");
    }
    return g;
}

ValuePtr Unpickler::persistentLoad(const Value& pid) {
    if (pid.kind() != Kind::Tuple || pid.items.size() != 5 || pid.items[0]->kind() != Kind::String ||
        pid.items[0]->text != "storage") {
        malformed("a persistent id is not ('storage', type, key, location, size)");
    }
    const Value& type = *pid.items[1];
    if (type.kind() != Kind::Global || type.callable != Callable::StorageType) {
        malformed("a persistent id does not name a torch storage type");
    }
    if (pid.items[2]->kind() != Kind::String || !validStorageKey(pid.items[2]->text)) {
        malformed("a storage key is not a short name of letters, digits, '_', '-' or '.'");
    }
    if (pid.items[3]->kind() != Kind::String) malformed("a storage location is not a string");
    const std::int64_t numel = intArg(*pid.items[4], "a storage size");
    if (numel < 0 || static_cast<std::uint64_t>(numel) > kMaxStorageNumel) {
        malformed("storage '" + pid.items[2]->text + "' declares " + std::to_string(numel) + " elements");
    }
    const std::string& key = pid.items[2]->text;
    if (auto it = m_storages.find(key); it != m_storages.end()) {
        if (it->second->dtype != type.storageDType || it->second->numel != static_cast<std::uint64_t>(numel)) {
            malformed("storage '" + key + "' is declared twice with different types or sizes");
        }
        ValuePtr v = make(Kind::Storage);
        v->storage = it->second;
        return v;
    }
    auto storage = std::make_shared<Storage>();
    storage->key = key;
    storage->dtype = type.storageDType;
    storage->numel = static_cast<std::uint64_t>(numel);
    storage->location = printable(pid.items[3]->text);
    m_storages.emplace(key, storage);
    ValuePtr v = make(Kind::Storage);
    v->storage = std::move(storage);
    return v;
}

ValuePtr Unpickler::rebuildTensor(const Value& args) {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    if (args.items.size() != 6 && args.items.size() != 7) {
        malformed("_rebuild_tensor_v2 called with " + std::to_string(args.items.size()) + " arguments");
    }
    if (args.items[0]->kind() != Kind::Storage) malformed("_rebuild_tensor_v2 is given no storage");
    ValuePtr t = make(Kind::Tensor);
    t->m_depth = 1;
    TensorView& view = t->tensor;
    view.storage = args.items[0]->storage;
    view.storageOffset = intArg(*args.items[1], "a tensor's storage offset");
    if (view.storageOffset < 0) malformed("a tensor has a negative storage offset");
    const Value& size = *args.items[2];
    const Value& stride = *args.items[3];
    if (size.kind() != Kind::Tuple || stride.kind() != Kind::Tuple) malformed("a tensor's size or stride is not a tuple");
    if (size.items.size() != stride.items.size()) malformed("a tensor's size and stride differ in length");
    if (size.items.size() > m_limits.maxTensorDims) malformed("a tensor has more than " + std::to_string(m_limits.maxTensorDims) + " dimensions");
    for (std::size_t i = 0; i < size.items.size(); ++i) {
        const std::int64_t n = intArg(*size.items[i], "a tensor dimension");
        const std::int64_t s = intArg(*stride.items[i], "a tensor stride");
        if (n < 0 || s < 0) malformed("a tensor has a negative size or stride");
        view.shape.push_back(n);
        view.stride.push_back(s);
    }
    return t;
}

ValuePtr Unpickler::reduce(const Value& callable, const Value& args) {
    if (callable.kind() != Kind::Global) malformed("REDUCE calls a " + std::string(kindName(callable.kind())));
    if (args.kind() != Kind::Tuple) malformed("REDUCE arguments are not a tuple");
    const auto& a = args.items;
    switch (callable.callable) {
    case Callable::OrderedDict: {
        ValuePtr d = make(Kind::Dict);
        d->ordered = true;
        if (a.size() > 1) malformed("OrderedDict called with more than one argument");
        if (a.size() == 1) {
            if (a[0]->kind() != Kind::List && a[0]->kind() != Kind::Tuple) malformed("OrderedDict built from a non-sequence");
            for (const auto& pair : a[0]->items) {
                if ((pair->kind() != Kind::List && pair->kind() != Kind::Tuple) || pair->items.size() != 2) {
                    malformed("OrderedDict built from something other than pairs");
                }
                setItem(*d, pair->items[0], pair->items[1]);
            }
        }
        return d;
    }
    case Callable::Set:
    case Callable::FrozenSet: {
        ValuePtr s = make(Kind::Set);
        if (a.size() > 1) malformed("set called with more than one argument");
        if (a.size() == 1) {
            if (a[0]->kind() != Kind::List && a[0]->kind() != Kind::Tuple) malformed("set built from a non-sequence");
            for (const auto& item : a[0]->items) append(*s, item);
        }
        return s;
    }
    case Callable::RebuildTensorV2:
        return rebuildTensor(args);
    case Callable::RebuildParameter:
    case Callable::RebuildParameterWithState:
        // (data, requires_grad, backward_hooks[, state]): the parameter is its data tensor.
        if (a.size() != (callable.callable == Callable::RebuildParameter ? 3u : 4u) || a[0]->kind() != Kind::Tensor) {
            malformed(callable.text + " called with unexpected arguments");
        }
        return a[0];
    case Callable::StorageType:
        break;
    }
    malformed("the pickle calls " + printable(callable.text) + ", which a state dict never does");
}

ValuePtr Unpickler::run() {
    while (m_pos < m_data.size()) {
        m_opStart = m_pos;
        const auto op = static_cast<std::uint8_t>(*take(1));
        switch (op) {
        case PROTO: {
            const std::uint64_t version = readLE(1);
            if (version > 5) malformed("pickle protocol " + std::to_string(version) + " is not supported");
            break;
        }
        case FRAME: {
            // Frames only group opcodes for buffering; the length must fit the data.
            const std::uint64_t length = readLE(8);
            if (length > m_data.size() - m_pos) malformed("a frame runs past the end of the data (truncated)");
            break;
        }
        case STOP: {
            ValuePtr result = pop();
            return result;
        }
        case MARK:
            if (m_marks.size() >= m_limits.maxStack) malformed("too many MARKs");
            m_marks.push_back(m_stack.size());
            break;
        case POP:
            if (m_stack.size() > floor()) {
                m_stack.pop_back();
            } else {
                popMark();
            }
            break;
        case POP_MARK: popMark(); break;
        case DUP: push(top()); break;
        case NONE: push(make(Kind::None)); break;
        case NEWTRUE:
        case NEWFALSE: {
            ValuePtr v = make(Kind::Bool);
            v->boolean = op == NEWTRUE;
            push(std::move(v));
            break;
        }
        case BININT:
        case BININT1:
        case BININT2: {
            ValuePtr v = make(Kind::Int);
            if (op == BININT) {
                v->integer = static_cast<std::int32_t>(static_cast<std::uint32_t>(readLE(4)));
            } else {
                v->integer = static_cast<std::int64_t>(readLE(op == BININT1 ? 1 : 2));
            }
            push(std::move(v));
            break;
        }
        case LONG1:
        case LONG4: {
            const std::uint64_t n = op == LONG1 ? readLE(1) : readLE(4);
            if (n > 8) malformed("an integer wider than 64 bits");
            std::uint64_t raw = n ? readLE(static_cast<int>(n)) : 0;
            if (n > 0 && n < 8 && (raw >> (8 * n - 1)) & 1u) raw |= ~std::uint64_t{0} << (8 * n); // sign-extend
            ValuePtr v = make(Kind::Int);
            v->integer = static_cast<std::int64_t>(raw);
            push(std::move(v));
            break;
        }
        case BINFLOAT: {
            const std::byte* p = take(8);
            std::uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) bits = (bits << 8) | std::to_integer<std::uint64_t>(p[i]); // big-endian
            ValuePtr v = make(Kind::Float);
            std::memcpy(&v->real, &bits, sizeof bits);
            push(std::move(v));
            break;
        }
        case BINUNICODE:
        case SHORT_BINUNICODE:
        case BINUNICODE8:
        case BINSTRING:
        case SHORT_BINSTRING:
        case BINBYTES:
        case SHORT_BINBYTES:
        case BINBYTES8: {
            std::uint64_t n = 0;
            if (op == SHORT_BINUNICODE || op == SHORT_BINSTRING || op == SHORT_BINBYTES) {
                n = readLE(1);
            } else if (op == BINUNICODE8 || op == BINBYTES8) {
                n = readLE(8);
            } else {
                n = readLE(4);
                if (op == BINSTRING && (n >> 31)) malformed("a negative string length");
            }
            const bool bytes = op == BINBYTES || op == SHORT_BINBYTES || op == BINBYTES8;
            ValuePtr v = make(bytes ? Kind::Bytes : Kind::String);
            v->text = readText(n);
            push(std::move(v));
            break;
        }
        case EMPTY_TUPLE: push(make(Kind::Tuple)); break;
        case TUPLE: push(makeTuple(popMark())); break;
        case TUPLE1:
        case TUPLE2:
        case TUPLE3: {
            const std::size_t n = op - TUPLE1 + 1u;
            std::vector<ValuePtr> items(n);
            for (std::size_t i = n; i-- > 0;) items[i] = pop();
            push(makeTuple(std::move(items)));
            break;
        }
        case EMPTY_LIST: push(make(Kind::List)); break;
        case LIST: {
            std::vector<ValuePtr> items = popMark();
            ValuePtr list = make(Kind::List);
            for (auto& item : items) append(*list, std::move(item));
            push(std::move(list));
            break;
        }
        case APPEND: {
            ValuePtr item = pop();
            append(mutableTop(Kind::List, "APPEND"), std::move(item));
            break;
        }
        case APPENDS: {
            std::vector<ValuePtr> items = popMark();
            Value& list = mutableTop(Kind::List, "APPENDS");
            for (auto& item : items) append(list, std::move(item));
            break;
        }
        case EMPTY_DICT: push(make(Kind::Dict)); break;
        case DICT: {
            std::vector<ValuePtr> items = popMark();
            if (items.size() % 2) malformed("DICT with an odd number of items");
            ValuePtr dict = make(Kind::Dict);
            for (std::size_t i = 0; i < items.size(); i += 2) setItem(*dict, items[i], items[i + 1]);
            push(std::move(dict));
            break;
        }
        case SETITEM: {
            ValuePtr value = pop();
            ValuePtr key = pop();
            setItem(mutableTop(Kind::Dict, "SETITEM"), std::move(key), std::move(value));
            break;
        }
        case SETITEMS: {
            std::vector<ValuePtr> items = popMark();
            if (items.size() % 2) malformed("SETITEMS with an odd number of items");
            Value& dict = mutableTop(Kind::Dict, "SETITEMS");
            for (std::size_t i = 0; i < items.size(); i += 2) setItem(dict, items[i], items[i + 1]);
            break;
        }
        case EMPTY_SET: push(make(Kind::Set)); break;
        case ADDITEMS: {
            std::vector<ValuePtr> items = popMark();
            Value& set = mutableTop(Kind::Set, "ADDITEMS");
            for (auto& item : items) append(set, std::move(item));
            break;
        }
        case FROZENSET: {
            std::vector<ValuePtr> items = popMark();
            ValuePtr set = make(Kind::Set);
            for (auto& item : items) append(*set, std::move(item));
            push(std::move(set));
            break;
        }
        case GLOBAL: {
            std::string module = readLine();
            const std::string name = readLine();
            push(makeGlobal(std::move(module), name));
            break;
        }
        case STACK_GLOBAL: {
            ValuePtr name = pop();
            ValuePtr module = pop();
            if (module->kind() != Kind::String || name->kind() != Kind::String) malformed("STACK_GLOBAL without strings");
            push(makeGlobal(module->text, name->text));
            break;
        }
        case INST: {
            // Protocol 0 "instantiate module.name": never valid for a state dict; name it.
            std::string module = readLine();
            const std::string name = readLine();
            makeGlobal(std::move(module), name);
            malformed("INST is not used by state dicts");
        }
        case REDUCE: {
            ValuePtr args = pop();
            ValuePtr callable = pop();
            push(reduce(*callable, *args));
            break;
        }
        case NEWOBJ: {
            // cls.__new__(cls, *args): only the container classes, which start empty.
            ValuePtr args = pop();
            ValuePtr cls = pop();
            if (cls->kind() != Kind::Global || args->kind() != Kind::Tuple || !args->items.empty() ||
                (cls->callable != Callable::OrderedDict && cls->callable != Callable::Set &&
                 cls->callable != Callable::FrozenSet)) {
                malformed("NEWOBJ is only accepted for empty OrderedDict and set objects");
            }
            ValuePtr v = make(cls->callable == Callable::OrderedDict ? Kind::Dict : Kind::Set);
            v->ordered = cls->callable == Callable::OrderedDict;
            push(std::move(v));
            break;
        }
        case BUILD: {
            // Sets attributes; for state dicts that is OrderedDict._metadata (module versions)
            // and tensor/parameter state, none of which StemDeck needs: checked, then dropped.
            ValuePtr state = pop();
            const Value& target = *top();
            if (target.kind() != Kind::Dict && target.kind() != Kind::Tensor) {
                malformed(std::string("BUILD on a ") + kindName(target.kind()));
            }
            break;
        }
        case BINPERSID: {
            ValuePtr pid = pop();
            push(persistentLoad(*pid));
            break;
        }
        case BINPUT: memoPut(readLE(1)); break;
        case LONG_BINPUT: memoPut(readLE(4)); break;
        case MEMOIZE: memoPut(m_memo.size()); break;
        case BINGET: memoGet(readLE(1)); break;
        case LONG_BINGET: memoGet(readLE(4)); break;
        default: {
            static const char* hex = "0123456789abcdef";
            malformed(std::string("unsupported opcode 0x") + hex[op >> 4] + hex[op & 15]);
        }
        }
    }
    m_opStart = m_pos;
    malformed("the data ends without a STOP opcode (truncated)");
}

ValuePtr unpickle(std::span<const std::byte> data, const std::string& source, const Limits& limits) {
    Unpickler unpickler(data, source, limits);
    return unpickler.run();
}

} // namespace stemdeck::model::formats::pickle
