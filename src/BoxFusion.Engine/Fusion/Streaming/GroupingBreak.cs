using System.Globalization;

namespace BoxFusion.Fusion
{
    /// <summary>What an <see cref="EnsembleLayout"/> has and what the caller does next.</summary>
    public enum LayoutState
    {
        /// <summary>Every file so far keeps each image's records together; the detections are held too.</summary>
        Holding,
        /// <summary>Every file so far is grouped by image and the detections outgrew the limit and were let go: fuse with <see cref="StreamingFusion"/>.</summary>
        Streaming,
        /// <summary>A file is not grouped by image; every detection is held (the in-memory way).</summary>
        InMemory,
        /// <summary>A file is not grouped by image after the detections were let go: call <see cref="EnsembleLayout.ReadAgain"/>.</summary>
        MustReadAgain,
    }

    /// <summary>The first detection that showed the files cannot be streamed: a file not grouped by image, or a mask.</summary>
    public sealed class GroupingBreak
    {
        internal GroupingBreak(string path, int fileIndex, long detection, object imageId, long firstSeen, bool mask = false)
        {
            Path = path;
            FileIndex = fileIndex;
            Detection = detection;
            ImageId = imageId;
            FirstSeen = firstSeen;
            IsMask = mask;
        }

        /// <summary>The detection has an instance mask (masks are fused in memory) rather than breaking its file's grouping.</summary>
        public bool IsMask { get; }

        public string Path { get; }
        public int FileIndex { get; }
        /// <summary>0-based index among the file's good records (skipped records not counted).</summary>
        public long Detection { get; }
        public object ImageId { get; }
        /// <summary>0-based index of the same image's first record in that file.</summary>
        public long FirstSeen { get; }

        public override string ToString() => IsMask
            ? string.Format(CultureInfo.InvariantCulture, "'{0}' has instance masks (its detection {1} has one), and masks are fused in memory", Path, Detection + 1)
            : string.Format(CultureInfo.InvariantCulture,
                "'{0}' is not grouped by image: its detection {1} is of image {2} again, after other images (the image's first is detection {3})",
                Path, Detection + 1, ImageIds.Describe(ImageId), FirstSeen + 1);
    }
}
