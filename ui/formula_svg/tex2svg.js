// TeX (argv[2]) to a self-contained display-math SVG on stdout: every glyph a path, drawn in
// currentColor (so it follows the light or dark theme).  Run by `python -m ui.formulas`, with
// MathJax 3 installed where node finds it (`npm install mathjax-full@3`); the app never runs it.
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
const {AllPackages} = require('mathjax-full/js/input/tex/AllPackages.js');

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const doc = mathjax.document('', {
  InputJax: new TeX({packages: AllPackages}),
  OutputJax: new SVG({fontCache: 'local'}),
});
process.stdout.write(adaptor.innerHTML(doc.convert(process.argv[2], {display: true})));
