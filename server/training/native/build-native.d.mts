export declare const buildDir: string;
export declare const addonPath: string;
export declare const stampPath: string;
export declare function cpuFlags(): string;
export declare function sourceHash(): string;
export declare function isUpToDate(): boolean;
export declare function buildNativeKernels(options?: {
  force?: boolean;
  log?: (message: string) => void;
}): { built: boolean; path?: string; reason?: string };
