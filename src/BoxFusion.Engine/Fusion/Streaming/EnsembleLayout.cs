using System;
using System.Collections.Generic;
using System.Threading;
using BoxFusion.Json;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Follows result files as they are read one after another (the first reading of Merge-Detection -Path).
    /// It holds the detections (as plain values, see <see cref="HeldRecords"/>) while there are at most <see cref="HoldLimit"/>,
    /// and notes, per file, the runs of records of one image and whether each image has a single run (the file is
    /// grouped by image: mmdetection, detectron2 and YOLO write results that way). When every file is grouped and
    /// the detections outgrow the limit, it lets them go: the files can then be fused by reading them again side by
    /// side (<see cref="StreamingFusion"/>), holding only the images in flight. A file found not grouped while the
    /// detections are still held costs nothing: they stay held and fusion is in memory.
    /// Why not stream in one reading: a file's grouping is only known at its end, and an image fused before a later
    /// record of it turned up would be wrong; so the first reading checks, the second streams.
    /// </summary>
    public sealed class EnsembleLayout
    {
        private readonly List<LayoutFile> files = new List<LayoutFile>();
        private Dictionary<object, int> imageIndex = new Dictionary<object, int>();
        private List<object> imageIds = new List<object>();
        /// <summary>Per image: the file of its latest run, and where that run started (for messages).</summary>
        private List<int> lastFile = new List<int>();
        private List<long> runStart = new List<long>();
        // Runs of all files, file after file: the image of each run and its record count.
        private List<int> runImage = new List<int>();
        private List<int> runCount = new List<int>();
        private LayoutFile current;
        private object currentId;
        /// <summary>The records from a break on, while a reading again is due (they follow what it reads).</summary>
        private readonly List<PendingRecord> pending = new List<PendingRecord>();

        public EnsembleLayout(long holdLimit)
        {
            if (holdLimit < 0) throw new ArgumentOutOfRangeException(nameof(holdLimit));
            HoldLimit = holdLimit;
        }

        /// <summary>Detections held before letting go of them (when every file so far is grouped by image).</summary>
        public long HoldLimit { get; }
        public LayoutState State { get; private set; }
        /// <summary>The held detections (<see cref="LayoutState.Holding"/> and <see cref="LayoutState.InMemory"/>), else null.</summary>
        public DetectionEnsemble Ensemble
        {
            get
            {
                KeepHeld();
                return ensemble;
            }
        }

        /// <summary>While holding: the records, until they are let go or kept (then <see cref="ensemble"/> holds them).</summary>
        private HeldRecords held = new HeldRecords();
        private DetectionEnsemble ensemble;
        /// <summary>The first detection that showed a file is not grouped by image; null while all are.</summary>
        public GroupingBreak Break { get; private set; }
        public long DetectionCount
        {
            get
            {
                if (State == LayoutState.InMemory) return ensemble.DetectionCount;
                long n = 0;
                foreach (var f in files) n += f.Count;
                return n;
            }
        }

        internal IReadOnlyList<LayoutFile> Files => files;
        internal List<object> ImageIdList => imageIds;
        internal List<int> RunImage => runImage;
        internal List<int> RunCount => runCount;

        /// <summary>The next file's records follow; <paramref name="model"/> is the name its reader gives them.</summary>
        public void BeginFile(string path, string model)
        {
            if (State == LayoutState.MustReadAgain) throw new InvalidOperationException("ReadAgain must come first.");
            current = new LayoutFile(path, model ?? string.Empty, files.Count, runImage?.Count ?? 0);
            files.Add(current);
            currentId = null;
        }

        /// <summary>One good record of the current file, in file order.</summary>
        public void Add(Detection detection)
        {
            if (current == null) throw new InvalidOperationException("BeginFile must come first.");
            if (State == LayoutState.MustReadAgain) throw new InvalidOperationException("ReadAgain must come first.");
            // What the ensemble would refuse, refused now, not when the held records are turned into one.
            DetectionEnsemble.CheckCanBeFused(detection);
            if (State != LayoutState.InMemory) Place(detection.ImageId, detection.Mask != null);
            switch (State)
            {
                case LayoutState.Holding when held != null:
                    Hold(detection.ImageId, detection.CategoryId, detection.Score, detection.X, detection.Y, detection.Width, detection.Height, detection.Model ?? string.Empty);
                    break;
                case LayoutState.Holding:
                case LayoutState.InMemory:
                    ensemble.Add(detection);
                    LetGoPastLimit();
                    break;
                case LayoutState.MustReadAgain:
                    pending.Add(new PendingRecord(detection.ImageId, detection.CategoryId, detection.Score, detection.X, detection.Y,
                        detection.Width, detection.Height, detection.Model ?? string.Empty, detection.Mask));
                    break;
            }
        }

        /// <summary>
        /// The next good records of the current file, in file order, as a block of <see cref="ParallelFileReading"/>
        /// (read with detections: false, no object per record). The block is not kept: its arrays can serve again.
        /// The same as adding its records one by one, except that the records after a break that makes a reading
        /// again due (<see cref="LayoutState.MustReadAgain"/>) wait, and follow what <see cref="ReadAgain"/> reads.
        /// </summary>
        public void Add(RecordBlock block)
        {
            if (block == null) throw new ArgumentNullException(nameof(block));
            if (current == null) throw new InvalidOperationException("BeginFile must come first.");
            if (State == LayoutState.MustReadAgain) throw new InvalidOperationException("ReadAgain must come first.");
            if (block.Detections != null)
            {
                for (int i = 0; i < block.Count; i++)
                {
                    var d = block.Detections[i];
                    if (State != LayoutState.MustReadAgain) Add(d);
                    else pending.Add(new PendingRecord(d.ImageId, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, d.Model ?? string.Empty, d.Mask));
                }
                return;
            }
            var ids = block.ImageIds;
            var categories = block.CategoryIds;
            var scores = block.Scores;
            var x = block.X;
            var y = block.Y;
            var widths = block.Widths;
            var heights = block.Heights;
            var masks = block.Masks;
            int count = block.Count;
            for (int i = 0; i < count;)
            {
                if (masks == null && (held != null || State == LayoutState.Streaming))
                {
                    // A run of one image at once: a reader gives all records of an image the same id object.
                    var id = ids[i];
                    if (currentId == null || !(ReferenceEquals(id, currentId) || currentId.Equals(id)))
                    {
                        if (!StartRun(id)) continue; // not grouped: the record waits or is held, below
                    }
                    int end = i + 1;
                    while (end < count && ReferenceEquals(ids[end], currentId)) end++;
                    if (held != null)
                    {
                        long room = HoldLimit - held.Count; // held up to the limit, and one more lets them go
                        if (room < end - i - 1) end = i + 1 + (int)room;
                        held.Add(block, i, end - i, current.Model);
                    }
                    runCount[runCount.Count - 1] += end - i;
                    current.Count += end - i;
                    if (held != null && held.Count > HoldLimit)
                    {
                        held = null;
                        State = LayoutState.Streaming;
                    }
                    i = end;
                    continue;
                }
                var mask = masks?[i];
                if (State == LayoutState.Holding || State == LayoutState.Streaming) Place(ids[i], mask != null);
                switch (State)
                {
                    case LayoutState.Holding when held != null:
                        Hold(ids[i], categories[i], scores[i], x[i], y[i], widths[i], heights[i], current.Model);
                        break;
                    case LayoutState.Holding:
                    case LayoutState.InMemory:
                        ensemble.Add(ids[i], categories[i], scores[i], x[i], y[i], widths[i], heights[i], ensemble.ModelOf(current.Model), mask);
                        LetGoPastLimit();
                        break;
                    case LayoutState.MustReadAgain:
                        pending.Add(new PendingRecord(ids[i], categories[i], scores[i], x[i], y[i], widths[i], heights[i], current.Model, mask));
                        break;
                }
                i++;
            }
        }

        /// <summary>
        /// Notes one record of image <paramref name="id"/> (Holding or Streaming): it extends the current run or starts
        /// one; a mask, or a second run of an image in the file, stops the runs (the state becomes InMemory or MustReadAgain).
        /// </summary>
        private void Place(object id, bool hasMask)
        {
            if (hasMask)
            {
                // Masks need the whole ensemble before fusion (their sizes are checked and counted per image and overall).
                Stop(new GroupingBreak(current.Path, current.Index, current.Count, id, current.Count, mask: true));
                return;
            }
            if (currentId == null || !(ReferenceEquals(id, currentId) || currentId.Equals(id)))
            {
                if (!StartRun(id)) return; // not grouped: fuse in memory from here on
            }
            runCount[runCount.Count - 1]++;
            current.Count++;
        }

        /// <summary>Holds a record (no mask: a mask stops holding); past the limit, with every file so far grouped, lets them all go, to stream.</summary>
        private void Hold(object imageId, int categoryId, double score, double x, double y, double width, double height, string model)
        {
            held.Add(imageId, categoryId, score, x, y, width, height, model);
            if (held.Count > HoldLimit)
            {
                held = null;
                State = LayoutState.Streaming;
            }
        }

        /// <summary>Holding in an ensemble (it was asked for early): past the limit, let it go as well.</summary>
        private void LetGoPastLimit()
        {
            if (State != LayoutState.Holding || ensemble.DetectionCount <= HoldLimit) return;
            ensemble = null;
            State = LayoutState.Streaming;
        }

        /// <summary>The held records are kept (fused in memory, or asked for): as an ensemble, to which the next ones go.</summary>
        private void KeepHeld()
        {
            if (held == null) return;
            ensemble = held.ToEnsemble();
            held = null;
        }

        /// <summary>Starts a run of records of one image; false (and the state changed) when the file already had one.</summary>
        private bool StartRun(object id)
        {
            if (!imageIndex.TryGetValue(id, out int image))
            {
                image = imageIds.Count;
                imageIndex.Add(id, image);
                imageIds.Add(id);
                lastFile.Add(-1);
                runStart.Add(0);
            }
            else if (lastFile[image] == current.Index)
            {
                Stop(new GroupingBreak(current.Path, current.Index, current.Count, id, runStart[image]));
                return false;
            }
            lastFile[image] = current.Index;
            runStart[image] = current.Count;
            currentId = id;
            runImage.Add(image);
            runCount.Add(0);
            return true;
        }

        /// <summary>From here on the detections are held (read again first if they were let go); the runs are of no further use.</summary>
        private void Stop(GroupingBreak reason)
        {
            Break = reason;
            KeepHeld();
            State = State == LayoutState.Holding ? LayoutState.InMemory : LayoutState.MustReadAgain;
            imageIndex = null;
            imageIds = null;
            lastFile = null;
            runStart = null;
            runImage = null;
            runCount = null;
        }

        /// <summary>
        /// After a file turned out not grouped once the detections were let go: reads the good records seen so far
        /// again (the earlier files whole, the current one up to the break), then holds every detection from here on
        /// (<see cref="LayoutState.InMemory"/>). A file that no longer gives the same records is a <see cref="FileChangedException"/>.
        /// </summary>
        /// <param name="progress">Called now and then with the file, bytes read and its length.</param>
        public void ReadAgain(Action<string, long, long> progress = null, CancellationToken cancel = default)
        {
            if (State != LayoutState.MustReadAgain) throw new InvalidOperationException("Nothing to read again.");
            var ensemble = new DetectionEnsemble();
            foreach (var file in files)
            {
                if (file.Count == 0) continue;
                // Registered before the file's records, as its first record registers it.
                int model = ensemble.ModelOf(file.Model);
                using (var feed = new FileFeed(file.Path, file.Model, model, file.Count, cancel))
                {
                    feed.AddTo(ensemble, file.Count, () => progress?.Invoke(file.Path, feed.Position, feed.Length));
                }
            }
            foreach (var p in pending)
                ensemble.Add(p.ImageId, p.CategoryId, p.Score, p.X, p.Y, p.Width, p.Height, ensemble.ModelOf(p.Model), p.Mask);
            pending.Clear();
            this.ensemble = ensemble;
            State = LayoutState.InMemory;
        }

        /// <summary>The held detections or the streaming files, as fusion takes them; null while a reading again is due.</summary>
        public IFusionSource ToSource()
        {
            switch (State)
            {
                case LayoutState.Holding:
                case LayoutState.InMemory: return new EnsembleSource(Ensemble);
                case LayoutState.Streaming: return new StreamingFusion(this);
                default: return null;
            }
        }
    }

    /// <summary>One file as <see cref="EnsembleLayout"/> saw it: its good records and its runs of one image.</summary>
    internal sealed class LayoutFile
    {
        public LayoutFile(string path, string model, int index, int firstRun)
        {
            Path = path;
            Model = model;
            Index = index;
            FirstRun = firstRun;
        }

        public string Path { get; }
        public string Model { get; }
        public int Index { get; }
        public int FirstRun { get; }
        public long Count;
    }
}
