using System;
using System.IO;

namespace BoxFusion.Json
{
    /// <summary>The refill step both JSON readers share: keep the unread tail, make room, read until the buffer is full.</summary>
    internal static class StreamBuffer
    {
        /// <summary>
        /// Moves the unread bytes [start, end) to the front of the buffer (or, when they already fill all of it,
        /// doubles the buffer up to <paramref name="maxSize"/>: one token or record did not fit), then reads until
        /// the buffer is full or the stream ends. Returns false when the stream has ended.
        /// </summary>
        public static bool Refill(Stream stream, ref byte[] buffer, ref int start, ref int end, ref long bufferOffset, int maxSize = int.MaxValue)
        {
            int unread = end - start;
            if (start == 0 && end == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxSize));
            }
            else if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, unread);
                bufferOffset += start;
                start = 0;
                end = unread;
            }
            while (end < buffer.Length)
            {
                int n = stream.Read(buffer, end, buffer.Length - end);
                if (n <= 0) return false;
                end += n;
            }
            return true;
        }
    }
}
