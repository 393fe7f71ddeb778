/**
 * An application on the module path: it requires Cairn's modules by their names and compiles against their public
 * API only — the check that those names are stable and that the API needs nothing from an internal package.
 */
module dev.cairn.consumer {
    requires dev.cairn.config;
    requires dev.cairn.state.api;
    requires dev.cairn.state.heap;
    requires dev.cairn.checkpoint;

    exports dev.cairn.consumer;
}
