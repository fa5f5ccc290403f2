// write-file-atomic ships no types (and @types/write-file-atomic is not installed): the part we use.
declare module 'write-file-atomic' {
  interface Options {
    chown?: { uid: number; gid: number } | false;
    encoding?: BufferEncoding;
    fsync?: boolean;
    mode?: number | false;
    /** Called with the temporary file's path once it is created, before the data is written. */
    tmpfileCreated?: (tmpfile: string) => void | Promise<void>;
  }
  function writeFileAtomic(filename: string, data: string | Uint8Array, options?: Options): Promise<void>;
  namespace writeFileAtomic {
    function sync(filename: string, data: string | Uint8Array, options?: Options): void;
  }
  export = writeFileAtomic;
}
