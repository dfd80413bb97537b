# Help for Optimize-Fusion. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Searches fusion methods, thresholds and model weights for the best COCO score on a validation set.'

    Description = @'
Optimize-Fusion takes the detections of several models on a validation set (from the pipeline, or read from COCO results files with -Path), fuses them with many settings of Merge-Detection, scores every result with Measure-Detection's COCO evaluation against -GroundTruth, and returns the trials ranked by -Metric, best first. Everything happens in memory: nothing is written to disk between trials.

The search is deterministic (the same input gives the same trials) and runs in stages:
1. every method of -Method at every IoU threshold of -IouThreshold, with equal weights;
2. the best method's own settings: -ConfidenceType and -SkipBoxThreshold for WBF, -SkipBoxThreshold for NMW (and, with -IouType Segm and masks, -MaskThreshold for both), the Gaussian sigma (0.1, 0.5, 1) and the linear decay for SoftNMS;
3. each model's weight in turn over -WeightValues, keeping a change when it helps, for up to three passes (0 drops a model from the ensemble);
4. the method's settings again with the chosen weights, then the IoU threshold 0.025 and 0.05 either side of the best.

A setting already tried is not run again. The search stops early after -MaxTrials trials or when -TimeBudget is spent, and returns the trials it finished. The progress bar counts the trials still planned (an upper bound that shrinks as the search learns which method wins and how many weight passes it needs) and shows the best score so far. The global variable $BoxFusionTrials holds the trials finished so far, ranked, and is updated after every trial: after Ctrl+C it keeps them. Each new search empties it first.

Each trial's Parameters property is a hashtable of every Merge-Detection parameter that made the trial's result (Method, IouThreshold, and SkipBoxThreshold, ConfidenceType, SoftNmsFunction, Sigma, Weight, ClassAgnostic, MaxDetectionsPerImage, MinVotes and ImageInfo where they apply), ready to splat: $p = $trials[0].Parameters, then Merge-Detection @p scores exactly what the trial scored. ImageInfo is the full path of the -ImageInfo file; for the test set set $p.ImageInfo to its own file first (in PowerShell 7.1 and later, -ImageInfo after @p also replaces it).

Among trials with the same score, those whose fused scores stay within [0, 1] rank first. WBF with -ConfidenceType Avg and unequal weights can give scores above 1 (as ensemble-boxes does; each trial's ScoresAboveOne counts them): the score only depends on their order, but Merge-Detection warns and a challenge server may reject them. When the best trial still has such scores, Optimize-Fusion warns and names the best trial that keeps them in [0, 1].

Tune on a validation set that is not the test set, and prefer settings whose advantage is larger than their Spread over -Folds: with few images, weights and thresholds fit the noise.
'@

    Parameters  = @{
        GroundTruth      = @{
            Description = 'The COCO annotations file of the validation set (a path or FileInfo) to score every trial against. Every image of the input must be in it.'
            Default     = 'None'
        }
        InputObject      = @{
            Description = 'The detections of the models to ensemble, on the validation images, from Import-Detection (one model per file) or New-Detection. Models are told apart by their Model property.'
            Default     = 'None'
        }
        Path             = @{
            Description = 'COCO results files of the validation set to read directly instead of from the pipeline, each as one model named as Import-Detection names them (yolox.json is the model yolox; work_dirs/yolox/results.bbox.json too) or by -Model. Wildcards are expanded.'
            Default     = 'None'
        }
        LiteralPath      = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters are not expanded.'
            Default     = 'None'
        }
        Model            = @{
            Description = 'The model names of the -Path or -LiteralPath files, as Import-Detection -Model: one per file, in the order the files are read, or one for all. Files of real layouts that share a name (work_dirs/*/results.bbox.json) are named by their folders by default; files that cannot be told apart are an error, DuplicateModelName.'
            Default     = 'As Import-Detection: the base name without .bbox, .segm or .proposal, or the nearest folder that differs'
        }
        Method           = @{
            Description = 'The fusion methods to try, as Merge-Detection -Method.'
            Default     = 'WBF, NMS, SoftNMS, NMW'
        }
        IouThreshold     = @{
            Description = 'The IoU thresholds to try with every method in the first stage; the last stage also tries 0.025 and 0.05 either side of the best.'
            Default     = '0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8'
        }
        SkipBoxThreshold = @{
            Description = 'The skip thresholds to try when the best method is WBF or NMW, as Merge-Detection -SkipBoxThreshold.'
            Default     = '0, 0.001, 0.01, 0.05'
        }
        ConfidenceType   = @{
            Description = 'The WBF confidence types to try when the best method is WBF, as Merge-Detection -ConfidenceType.'
            Default     = 'Avg, Max, BoxAndModelAvg, AbsentModelAwareAvg'
        }
        WeightValues     = @{
            Description = 'The values each model''s weight may take in the weight search. 0 drops a model, which tells you whether it helps the ensemble at all. The search needs at least two models.'
            Default     = '0, 0.5, 1, 2, 3'
        }
        NoWeightSearch   = @{
            Description = 'Skip the weight search (stage 3): every model keeps weight 1. Much faster with many models.'
            Default     = 'False'
        }
        MaxDetectionsPerImage = @{
            Description = 'Fuse every trial with Merge-Detection -MaxDetectionsPerImage, keeping at most this many fused boxes per image. Each trial''s Parameters include it.'
            Default     = 'None (all fused boxes are kept)'
        }
        ClassAgnostic    = @{
            Description = 'Fuse every trial with Merge-Detection -ClassAgnostic: boxes of different categories are fused together. Each trial''s Parameters include it.'
            Default     = 'False'
        }
        MinVotes         = @{
            Description = 'Fuse every trial with Merge-Detection -MinVotes: keep only fused boxes that at least this many models contributed to. More votes than there are models is allowed but warns, since no box can pass. Each trial''s Parameters include it. Not with -Voting.'
            Default     = '1'
        }
        Voting           = @{
            Description = 'Fuse every trial with Merge-Detection -Voting: Affirmative (one model is enough), Consensus (at least half of the models) or Unanimous (every model). The models counted are those the trial weights above 0, so a trial that drops a model needs fewer votes; its Parameters give the resulting MinVotes. Not with -MinVotes.'
            Default     = 'Affirmative (that is, -MinVotes 1)'
        }
        Metric           = @{
            Description = 'The COCO statistic to rank the trials by, one of the 12 of Measure-Detection: AP (mAP@[.50:.95], what COCO leaderboards rank by), AP50 (what VOC-style challenges use), AR100, and so on.'
            Default     = 'AP'
        }
        IouType          = @{
            Description = 'What the trials are scored on, as Measure-Detection -IouType: Bbox (box mAP) or Segm (mask mAP of the fused instance masks; the ground truth''s segmentations are then read too, and the mask vote threshold is searched for WBF and NMW).'
            Default     = 'Bbox'
        }
        MaskThreshold    = @{
            Description = 'With -IouType Segm and detections that have masks: the mask vote thresholds (Merge-Detection -MaskThreshold) tried for WBF and NMW. A trial''s Parameters include MaskThreshold when it is not the default 0.5.'
            Default     = '0.3, 0.4, 0.5, 0.6, 0.7'
            AcceptedValues = 'numbers above 0, at most 1'
        }
        Folds            = @{
            Description = 'Split the validation images into this many disjoint folds (image i of the ground truth goes to fold i mod Folds) and rank by the mean of the metric over the folds; each trial''s Spread is its standard deviation and FoldScores the values. 1 scores the whole set once. More folds than the ground truth has images is an error (TooManyFolds).'
            Default     = '1'
        }
        MaxTrials        = @{
            Description = 'Stop after this many trials (each a fusion and an evaluation of the whole validation set).'
            Default     = '200'
        }
        TimeBudget       = @{
            Description = 'Stop starting new trials once this much time has passed: a number of seconds (600), a time span string (''00:10:00'') or a TimeSpan ((New-TimeSpan -Minutes 10)). A trial that has started runs to its end. It must be more than 0; when it ends before a single trial, Optimize-Fusion warns.'
            Default     = 'None (no time limit)'
        }
        ImageInfo        = @{
            Description = 'Image sizes, to clip boxes to their image before fusion, as Merge-Detection -ImageInfo; usually the same file as -GroundTruth. Each trial''s Parameters include it (a file as its full path), so the replay clips the same way; give the test set''s own file when you apply the parameters to it.'
            Default     = 'None (boxes are not clipped)'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The validation-set detections of the models to ensemble (the InputObject parameter set).' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Optimization.FusionTrial'; Description = 'Every trial, best first: Rank (1 = best), Number (the order it ran in), Method, IouThreshold, SkipBoxThreshold, ConfidenceType, Models and Weights, Metric and Score (its value, the mean over folds), Spread and FoldScores, Stats (the 12 COCO statistics on the whole set) with AP, AP50 and AP75, Duration, WeightText ("yolox=2 cascade=1"), MinVotes, ScoresAboveOne (fused scores above 1), and Parameters, the Merge-Detection parameters to splat. Method, ConfidenceType and Metric are names ("WBF"), so ConvertTo-Json writes them as such; Export-Csv writes the lists and Parameters as text. The table''s headers IoU, Skip and Conf are also names you can use (IouThreshold, SkipBoxThreshold, ConfidenceType). Trials saved with Export-Clixml show the same table when imported.' }
    )

    Notes       = @'
A trial costs one fusion and one COCO evaluation of the whole validation set (each trial's Duration says how long it took), and the search keeps all the input in memory. Use -TimeBudget or -MaxTrials to bound it, and narrow -Method and -IouThreshold once you know the region that wins.

The trials are also left in the global variable $BoxFusionTrials, updated after every trial, so the trials finished before a Ctrl+C are not lost. A new search empties it first.

Errors you can catch by id: NoDetections (no input), InvalidTimeBudget (0 or less), TooManyFolds (more -Folds than images), VotingConflict (-MinVotes with -Voting), GroundTruthNotAFile (objects instead of the annotations file), DetectionWithoutImageId, InvalidDetection (an input left out, see Merge-Detection), ImageInfoInvalid, ImageNotInGroundTruth (an input image is not in -GroundTruth or -ImageInfo), AmbiguousImageId (a text image id fits several of their images), GroundTruthNotFound, GroundTruthInvalid, PathIsNotAFile, NotARegularFile, NotAFileSystemPath (for -GroundTruth and -ImageInfo paths), and with -Path the file errors of Import-Detection.

The ranking uses -Metric only. Stats holds all 12 statistics, so you can check that a gain in AP does not cost too much AR100 or APSmall.
'@

    Examples    = @(
        @{
            Title   = 'Find the best fusion of three models and apply it'
            Code    = @'
cd tests/data/sample
$detections = Import-Detection yolox.json, cascade.json, detr.json
$trials = $detections | Optimize-Fusion -GroundTruth gt.json -ImageInfo gt.json -MaxTrials 100
$trials | Select-Object -First 5 Rank, Method, IouThreshold, ConfidenceType, WeightText, Score
$best = $trials[0].Parameters
$detections | Merge-Detection @best | Export-Submission fused.json
'@
            Remarks = 'The first trial is the best. Its Parameters hashtable holds every Merge-Detection parameter of that trial, -ImageInfo included (as the full path of gt.json), so splatting it (@best) reproduces the fusion exactly, which Export-Submission writes. Apply the parameters to the test-set detections the same way, after $best.ImageInfo = ''test/image_info.json''.'
        }
        @{
            Title   = 'Tune WBF only, by AP50, within ten minutes'
            Code    = @'
Import-Detection yolox.json, cascade.json, detr.json |
    Optimize-Fusion -GroundTruth gt.json -Method WBF -IouThreshold 0.5, 0.55, 0.6, 0.65, 0.7 -Metric AP50 -TimeBudget 600 |
    Select-Object -First 3
'@
            Remarks = 'Restricts the first stage to WBF over five IoU thresholds, ranks by AP at IoU 0.5, and stops starting trials after 600 seconds (''00:10:00'' says the same).'
        }
        @{
            Title   = 'Check that the winner is stable across folds'
            Code    = @'
$trials = Optimize-Fusion -GroundTruth val.json -Path *.bbox.json -Folds 5 -NoWeightSearch
$trials | Select-Object -First 5 Rank, Method, IouThreshold, Score, Spread, @{ n = 'FoldScores'; e = { $_.FoldScores -join ' ' } }
'@
            Remarks = 'Reads every *.bbox.json file as a model, keeps all weights at 1, and scores every trial on five disjoint fifths of the validation images. If the top trials differ by less than their Spread, the ranking among them is noise: prefer the simpler setting (equal weights, a common IoU threshold).'
        }
        @{
            Title   = 'Stop a long search and keep what it found'
            Code    = @'
$detections | Optimize-Fusion -GroundTruth gt.json -TimeBudget 3600    # press Ctrl+C when you have seen enough
$BoxFusionTrials | Select-Object -First 3
$p = $BoxFusionTrials[0].Parameters
'@
            Remarks = 'After Ctrl+C nothing reaches the pipeline, but $BoxFusionTrials holds the trials finished so far, ranked best first, each with its Parameters.'
        }
        @{
            Title   = 'Find out whether a model helps the ensemble'
            Code    = @'
$trials = Import-Detection yolox.json, cascade.json, detr.json | Optimize-Fusion -GroundTruth gt.json -WeightValues 0, 1
$trials[0].WeightText
'@
            Remarks = 'With weight values 0 and 1 the weight search only switches models off and on; a model left at 0 in the best trial does not help on this validation set.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'Measure-Detection'
        'Import-Detection'
    )
}
