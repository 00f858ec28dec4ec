// Bundles entry.js into plotly-sahel.min.js (run by scripts/build_plotly.sh after `npm ci`).
//
// The options are those of plotly.js's own esbuild-config.js (an IIFE whose global is
// Plotly, `global` as window, no AMD, ES2016, minified as its dist bundles are); its glsl
// and environment plugins have nothing to do for these traces. Its CSS plugin's job, a
// <style> element with MapLibre's stylesheet added when the bundle runs, is done by
// `injectCss` below, which names the element after the package path rather than after a
// hash of the absolute one, so the output does not depend on where it is built.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));
const out = process.argv[2] || join(here, 'plotly-sahel.min.js');
const version = require('plotly.js/package.json').version;
const modules = join(here, 'node_modules');

// plotly.js's own header (its dist bundles' first comment), named as its partial bundles are.
const dist = readFileSync(require.resolve('plotly.js/dist/plotly.min.js'), 'utf8');
const header = dist
    .slice(0, dist.indexOf('*/') + 2)
    .replace('plotly.js', 'plotly.js (sahel-atlas: scattermap, bar - minified)');

const injectCss = {
    name: 'inject-css',
    setup(bundle) {
        bundle.onLoad({ filter: /\.css$/ }, (args) => {
            const id = relative(modules, args.path).split('\\').join('/');
            const css = JSON.stringify(readFileSync(args.path, 'utf8'));
            return {
                loader: 'js',
                contents: `if (!document.getElementById(${JSON.stringify(id)})) {
    var style = document.createElement('style');
    style.id = ${JSON.stringify(id)};
    style.textContent = ${css};
    document.head.appendChild(style);
}`,
            };
        });
    },
};

const result = await build({
    entryPoints: [join(here, 'entry.js')],
    write: false,
    outfile: out,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    plugins: [injectCss],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
});
writeFileSync(out, header + '\n' + result.outputFiles[0].text);
console.log(`plotly.js ${version}: ${out}`);
