using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>One detection of an image and the index of the model it came from.</summary>
    public readonly struct EnsembleEntry
    {
        public EnsembleEntry(Detection detection, int model) { Detection = detection; Model = model; }
        public Detection Detection { get; }
        public int Model { get; }
    }

    /// <summary>
    /// Collects detections by image and by model, both in order of first appearance, as fusion needs them.
    /// Holds references only: the caller's detections are never changed.
    /// </summary>
    public sealed class DetectionEnsemble
    {
        private readonly Dictionary<object, int> imageIndex = new Dictionary<object, int>();
        private readonly Dictionary<string, int> modelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<object> imageIds = new List<object>();
        private readonly List<List<EnsembleEntry>> images = new List<List<EnsembleEntry>>();
        private readonly List<string> models = new List<string>();
        private bool modelsOutOfOrder;
        private object lastImageId;
        private List<EnsembleEntry> lastImage;
        private string lastModel;
        private int lastModelIndex = -1;

        public IReadOnlyList<string> Models => models;
        public IReadOnlyList<object> ImageIds => imageIds;
        public int ImageCount => images.Count;
        public long DetectionCount { get; private set; }

        public void Add(Detection detection)
        {
            if (detection == null) throw new ArgumentNullException(nameof(detection));
            if (detection.ImageId == null) throw new ArgumentException("The detection has no image id.", nameof(detection));
            int model = ModelOf(detection.Model ?? string.Empty);
            var image = ImageOf(detection.ImageId);
            if (image.Count > 0 && image[image.Count - 1].Model > model) modelsOutOfOrder = true;
            image.Add(new EnsembleEntry(detection, model));
            DetectionCount++;
        }

        /// <summary>Model index of a name, registering it on first sight; cheap for runs of one model.</summary>
        private int ModelOf(string name)
        {
            if (ReferenceEquals(name, lastModel)) return lastModelIndex;
            if (!modelIndex.TryGetValue(name, out int index))
            {
                index = models.Count;
                models.Add(name);
                modelIndex.Add(name, index);
            }
            lastModel = name;
            lastModelIndex = index;
            return index;
        }

        private List<EnsembleEntry> ImageOf(object id)
        {
            if (ReferenceEquals(id, lastImageId)) return lastImage;
            if (!imageIndex.TryGetValue(id, out int index))
            {
                index = images.Count;
                imageIndex.Add(id, index);
                imageIds.Add(id);
                images.Add(new List<EnsembleEntry>());
            }
            lastImageId = id;
            lastImage = images[index];
            return lastImage;
        }

        public int IndexOfModel(string name) => modelIndex.TryGetValue(name, out int i) ? i : -1;

        /// <summary>The image's detections in model order, each model's in the order given.</summary>
        public IReadOnlyList<EnsembleEntry> GetImage(int index)
        {
            var list = images[index];
            if (modelsOutOfOrder) SortStableByModel(list);
            return list;
        }

        private static void SortStableByModel(List<EnsembleEntry> list)
        {
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i - 1].Model <= list[i].Model) continue;
                var keys = new long[list.Count];
                var items = list.ToArray();
                for (int j = 0; j < items.Length; j++) keys[j] = ((long)items[j].Model << 32) | (uint)j;
                Array.Sort(keys, items);
                list.Clear();
                list.AddRange(items);
                return;
            }
        }
    }
}
