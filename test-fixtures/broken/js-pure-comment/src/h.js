const a//#__PURE__
a
