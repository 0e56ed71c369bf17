// part AErrCtx: error-context values: the built-ins (debug messages in UTF-8, UTF-16 or
// latin1+UTF-16, as the built-in's name says, whatever the world's string encoding) and the host
// side, `WitErrorContext`, an Error carrying the debug message.
// needs: ACore
// uses: mem rstr lstr rstr16 lstr16 rstrL lstrL
export class WitErrorContext extends Error { name = "WitErrorContext"; }
// encoding suffix -> [read a guest string (st, p, n), write one (st, s): its pointer, length in st.n]
const A_ERR_ENC = { "utf8": [rstr, lstr], "utf16": [rstr16, lstr16], "latin1+utf16": [rstrL, lstrL] };
for (const [enc, [read, write]] of Object.entries(A_ERR_ENC)) {
  A_ROOT["[error-context-new-" + enc + "]"] = (st) => (p, n) => {
    let m;
    try { mem(st); m = read(st, p, n); } catch (e) { throw aTrap(st, "error-context.new: " + (e?.m ?? e?.message ?? e)); }
    return st.A.t.add({ k: "err", m });
  };
  A_ROOT["[error-context-debug-message-" + enc + "]"] = (st) => (h, rp) => {
    const m = st.A.t.get(h, "err", "error-context.debug-message").m;
    rp >>>= 0;
    const p = write(st, m);
    if (rp % 4 !== 0 || rp + 8 > st.u8.length) throw aTrap(st, "error-context.debug-message: bad result pointer " + rp);
    st.dv.setUint32(rp, p, true); st.dv.setUint32(rp + 4, st.n, true);
  };
}
A_ROOT["[error-context-drop]"] = (st) => (h) => { st.A.t.get(h, "err", "error-context.drop"); st.A.t.del(h >>> 0); };
// lift: the guest keeps its handle; JS gets an Error with the message
function aErrIn(st, h, what) { return new WitErrorContext(st.A.t.get(h, "err", what).m); }
// lower: any value; an Error gives its message
function aErrOut(st, v) { return st.A.t.add({ k: "err", m: v instanceof Error ? v.message : String(v) }); }
