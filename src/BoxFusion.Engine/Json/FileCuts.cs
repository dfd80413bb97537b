using System;
using System.Collections.Generic;
using System.IO;

namespace BoxFusion.Json
{
    /// <summary>A place where a results file may be cut into parts: just past a record's '}', and the next record's '{'.</summary>
    internal readonly struct FileCut
    {
        public FileCut(long recordEnd, long nextStart)
        {
            RecordEnd = recordEnd;
            NextStart = nextStart;
        }

        public long RecordEnd { get; }
        public long NextStart { get; }
    }

    /// <summary>
    /// Finds where a large results file may be cut so that its parts can be parsed at once: near evenly spaced positions,
    /// the first <c>}</c>, <c>,</c>, <c>{</c> (whitespace between allowed). That is only a guess, since the same bytes can
    /// sit inside a string; <see cref="ParallelFileReading"/> trusts a cut once the reader before it ends a record there.
    /// </summary>
    internal static class FileCuts
    {
        private const int Window = 1 << 16;
        /// <summary>How far past each evenly spaced position to look before giving up that cut.</summary>
        private const int SearchLimit = 1 << 20;

        public static List<FileCut> Find(Stream stream, int parts)
        {
            var cuts = new List<FileCut>();
            long length = stream.Length;
            var window = new byte[Window];
            long after = 0;
            for (int k = 1; k < parts; k++)
            {
                long from = Math.Max(length / parts * k, after);
                if (TryFind(stream, from, Math.Min(length, from + SearchLimit), window, out var cut))
                {
                    cuts.Add(cut);
                    after = cut.NextStart + 1;
                }
            }
            return cuts;
        }

        private static bool TryFind(Stream stream, long from, long to, byte[] window, out FileCut cut)
        {
            // Windows overlap, so a cut that straddles two is seen whole in the second (unless its whitespace is longer).
            const int overlap = 256;
            for (long at = from; at < to; at += Window - overlap)
            {
                stream.Seek(at, SeekOrigin.Begin);
                int n = ReadUpTo(stream, window, (int)Math.Min(Window, to - at));
                for (int i = 0; i < n; i++)
                {
                    if (window[i] != (byte)'}') continue;
                    int j = SkipSpace(window, i + 1, n);
                    if (j >= n || window[j] != (byte)',') continue;
                    j = SkipSpace(window, j + 1, n);
                    if (j >= n || window[j] != (byte)'{') continue;
                    cut = new FileCut(at + i + 1, at + j);
                    return true;
                }
                if (n < Window) break;
            }
            cut = default;
            return false;
        }

        private static int ReadUpTo(Stream stream, byte[] buffer, int count)
        {
            int n = 0;
            while (n < count)
            {
                int read = stream.Read(buffer, n, count - n);
                if (read <= 0) break;
                n += read;
            }
            return n;
        }

        private static int SkipSpace(byte[] b, int p, int end)
        {
            while (p < end && (b[p] == (byte)' ' || b[p] == (byte)'\n' || b[p] == (byte)'\r' || b[p] == (byte)'\t')) p++;
            return p;
        }
    }
}
