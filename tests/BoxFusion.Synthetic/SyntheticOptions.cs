using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace BoxFusion.Synthetic
{
    /// <summary>
    /// What <see cref="EnsembleGenerator"/> makes: a COCO ground truth and one COCO results list per
    /// model. Everything follows from <see cref="Seed"/>: the same options give byte-identical files on
    /// any machine, whatever the number of threads.
    /// </summary>
    public sealed class SyntheticOptions
    {
        /// <summary>Number of images; their ids are 0 .. Images-1, file names "0.jpg" ...</summary>
        public int Images { get; set; } = 100;

        /// <summary>Number of simulated detectors, each with its own recall, noise, calibration and mistakes.</summary>
        public int Models { get; set; } = 3;

        /// <summary>Number of categories, ids 1 .. Classes.</summary>
        public int Classes { get; set; } = 10;

        public int Seed { get; set; } = 1;

        /// <summary>Write the models' image_id as the file name ("7.jpg") instead of the number 7. The ground truth keeps numbers.</summary>
        public bool FileNameIds { get; set; }

        /// <summary>
        /// Don't write the models' files in image order: each model lists the images in its own random
        /// order, and every second model (model2, model4, ...) also interleaves the detections of
        /// neighbouring images. Within one image the detections still come by score, highest first.
        /// </summary>
        public bool Shuffle { get; set; }

        /// <summary>
        /// Add the dirt real files have: a few boxes past the image border (and at negative x or y), boxes
        /// of zero width or height, scores of exactly 0 and exactly 1. Image 0 of every model always has
        /// one of each (when it has room for them). The ground truth stays clean.
        /// </summary>
        public bool Dirty { get; set; }

        /// <summary>At most this many detections per image and model, as a detector's max_per_img.</summary>
        public int MaxDetectionsPerImage { get; set; } = 100;

        /// <summary>Mean number of ground-truth objects per image (the count varies from image to image).</summary>
        public int MeanObjectsPerImage { get; set; } = 7;

        /// <summary>
        /// Fill every image up to about <see cref="MaxDetectionsPerImage"/> detections per model with
        /// low-score boxes, as a detector with a low score threshold does (most images get exactly the
        /// maximum, some a little fewer). When false only the detections the simulated model "sees" are written.
        /// </summary>
        public bool PadToMaximum { get; set; } = true;

        /// <summary>
        /// Names of the models' files, one per model ("yolox" or "yolox.json" gives yolox.json); null for
        /// model1.json .. modelK.json. Names must be distinct plain file names and not "gt".
        /// </summary>
        public string[] ModelNames { get; set; }

        /// <summary>
        /// Instance segmentation: the ground truth gets polygon segmentations (crowd regions as uncompressed RLE, areas
        /// from the masks) and every detection a compressed-RLE mask beside its bbox, as mmdetection writes segm results.
        /// Images are then at most 640x480.
        /// </summary>
        public bool Masks { get; set; }

        /// <summary>Threads used to generate images; 0 or less for the default. The output does not depend on it.</summary>
        public int MaxDegreeOfParallelism { get; set; }

        internal void Validate()
        {
            if (Images < 1) throw Bad("Images must be at least 1; got {0}.", Images);
            if (Models < 1) throw Bad("Models must be at least 1; got {0}.", Models);
            if (Classes < 1) throw Bad("Classes must be at least 1; got {0}.", Classes);
            if (MaxDetectionsPerImage < 1) throw Bad("MaxDetectionsPerImage must be at least 1; got {0}.", MaxDetectionsPerImage);
            if (MeanObjectsPerImage < 0) throw Bad("MeanObjectsPerImage must not be negative; got {0}.", MeanObjectsPerImage);
            if (Images > 10000000) throw Bad("Images must be at most 10,000,000; got {0}.", Images);
            if (MeanObjectsPerImage > 1000) throw Bad("MeanObjectsPerImage must be at most 1000; got {0}.", MeanObjectsPerImage);
            if (ModelNames != null && ModelNames.Length != Models)
                throw Bad("ModelNames has {0} names for {1} models.", ModelNames.Length, Models);
        }

        /// <summary>The file name of each model's results, in model order.</summary>
        internal string[] ModelFileNames()
        {
            var names = new string[Models];
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "gt.json" };
            for (int m = 0; m < Models; m++)
            {
                string name = ModelNames == null ? "model" + (m + 1).ToString(CultureInfo.InvariantCulture) : ModelNames[m];
                if (string.IsNullOrWhiteSpace(name))
                    throw Bad("Model name {0} is empty.", m + 1);
                if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0
                    || name == "." || name == "..")
                    throw Bad("Model name '{0}' is not a plain file name.", name);
                string file = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name : name + ".json";
                if (!seen.Add(file))
                    throw Bad("Model file name '{0}' is used twice (or clashes with gt.json).", file);
                names[m] = file;
            }
            return names;
        }

        private static ArgumentException Bad(string format, params object[] args) =>
            new ArgumentException(string.Format(CultureInfo.InvariantCulture, format, args));
    }

    /// <summary>The files <see cref="EnsembleGenerator.Write"/> wrote.</summary>
    public sealed class SyntheticEnsembleFiles
    {
        public SyntheticEnsembleFiles(string groundTruthPath, IReadOnlyList<string> modelPaths, IReadOnlyList<string> modelNames,
            int imageCount, long annotationCount, long detectionCount)
        {
            GroundTruthPath = groundTruthPath;
            ModelPaths = modelPaths;
            ModelNames = modelNames;
            ImageCount = imageCount;
            AnnotationCount = annotationCount;
            DetectionCount = detectionCount;
        }

        /// <summary>Full path of gt.json.</summary>
        public string GroundTruthPath { get; }

        /// <summary>Full paths of the models' results files, in model order.</summary>
        public IReadOnlyList<string> ModelPaths { get; }

        /// <summary>The models' names: their file names without ".json".</summary>
        public IReadOnlyList<string> ModelNames { get; }

        public int ImageCount { get; }

        /// <summary>Ground-truth annotations written (crowd regions included).</summary>
        public long AnnotationCount { get; }

        /// <summary>Detections written, all models together.</summary>
        public long DetectionCount { get; }
    }
}
