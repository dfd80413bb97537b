using System.Text.Json;

namespace BoxFusion.Json
{
    /// <summary>The nesting every JSON reader of the engine accepts (results files and COCO annotations alike).</summary>
    internal static class JsonLimits
    {
        /// <summary>
        /// System.Text.Json stops at 64 levels, which calls valid files invalid (a deep 'segmentation' or 'info' we only skip).
        /// Python's json stops near 1000 levels, so 1000 reads every file pycocotools can; deeper is named, not called broken.
        /// The readers are iterative: depth costs a bit per level, not stack.
        /// </summary>
        public const int MaxDepth = 1000;

        public static readonly JsonReaderOptions Options = new JsonReaderOptions { MaxDepth = MaxDepth };

        public static JsonReaderState NewState() => new JsonReaderState(Options);

        /// <summary>
        /// After a JsonException: did the reader stop because the next value would open one level too many?
        /// (It stops on the container at that depth, the next byte after whitespace, commas and colons being '[' or '{'.)
        /// </summary>
        public static bool IsDepthExceeded(int currentDepth, byte[] buffer, int next, int end)
        {
            if (currentDepth < MaxDepth - 1) return false;
            while (next < end && (buffer[next] == (byte)' ' || buffer[next] == (byte)'\t' || buffer[next] == (byte)'\r' || buffer[next] == (byte)'\n'
                || buffer[next] == (byte)',' || buffer[next] == (byte)':')) next++;
            return next < end && (buffer[next] == (byte)'[' || buffer[next] == (byte)'{');
        }

        public static string NestedTooDeepMessage =>
            "the JSON is nested more than " + MaxDepth + " levels deep, which BoxFusion does not read (nor does Python's json, so pycocotools cannot either).";
    }
}
