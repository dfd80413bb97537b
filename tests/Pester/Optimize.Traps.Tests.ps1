# Optimize-Fusion's traps (issue 11): budgets in seconds, exact replays of every option, trials kept after
# Ctrl+C, folds that cannot be filled, honest progress, scores above 1, and votes that nothing can reach.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $detections = Import-Detection $SampleModels
    # A small, quick search: two methods, two IoU thresholds, weights 0 or 1.
    $quick = @{ GroundTruth = $SampleTruth; Method = 'WBF', 'SoftNMS'; IouThreshold = 0.5, 0.6; SkipBoxThreshold = 0; ConfidenceType = 'Avg'; WeightValues = 0, 1; MaxTrials = 8; WarningAction = 'SilentlyContinue' }

    # The best trial, the first of another method and the first that drops a model, each replayed by splatting
    # its Parameters into Merge-Detection: the replay must score exactly what the trial scored.
    function Assert-Replay($Trials, $Detections) {
        $picked = @($Trials[0]) + @($Trials | Where-Object Method -NE $Trials[0].Method | Select-Object -First 1) +
            @($Trials | Where-Object { $_.Weights -contains 0 } | Select-Object -First 1)
        foreach ($trial in $picked) {
            $p = $trial.Parameters
            $replay = $Detections | Merge-Detection @p -WarningAction SilentlyContinue | Measure-Detection -GroundTruth $SampleTruth
            $replay.Stats | Should -Be $trial.Stats -Because "trial #$($trial.Number) ($($trial.Method), $($trial.WeightText)) replayed with $(($p.Keys | Sort-Object) -join ', ')"
        }
    }
}

Describe 'Optimize-Fusion -TimeBudget' {
    It 'takes a number as seconds' {
        $trials = $detections | Optimize-Fusion @quick -MaxTrials 2 -TimeBudget 600
        $trials.Count | Should -Be 2
    }
    It 'takes a TimeSpan, a time string or a number in a string' {
        @($detections | Optimize-Fusion @quick -MaxTrials 2 -TimeBudget ([timespan]::FromMinutes(10))).Count | Should -Be 2
        @($detections | Optimize-Fusion @quick -MaxTrials 2 -TimeBudget '00:10:00').Count | Should -Be 2
        @($detections | Optimize-Fusion @quick -MaxTrials 2 -TimeBudget '600').Count | Should -Be 2
        @($detections | Optimize-Fusion @quick -MaxTrials 2 -TimeBudget 2.5).Count | Should -Be 2
    }
    It 'rejects a budget of 0 or less' {
        { $detections | Optimize-Fusion @quick -TimeBudget 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeBudget,BoxFusion.Commands.OptimizeFusionCommand'
        { $detections | Optimize-Fusion @quick -TimeBudget -5 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeBudget,BoxFusion.Commands.OptimizeFusionCommand'
    }
    It 'rejects text that is not a time, saying what it takes' {
        { Optimize-Fusion -Path $SampleModels -GroundTruth $SampleTruth -TimeBudget 'ten minutes' } | Should -Throw -ExpectedMessage '*seconds*00:10:00*'
    }
    It 'warns when the budget ended before a single trial, and leaves $BoxFusionTrials empty' {
        $global:BoxFusionTrials = 'from an earlier search'
        # One tick (0.1 microsecond): spent before the first trial can start.
        $trials = $detections | Optimize-Fusion @quick -MaxTrials 3 -TimeBudget 1e-7 -WarningVariable warnings -WarningAction SilentlyContinue
        @($trials).Count | Should -Be 0
        "$warnings" | Should -Match 'before a single trial'
        @($global:BoxFusionTrials).Count | Should -Be 0
    }
}

Describe 'Optimize-Fusion trials replay exactly' {
    It 'with -MaxDetectionsPerImage' {
        $trials = $detections | Optimize-Fusion @quick -MaxDetectionsPerImage 5
        $trials[0].Parameters.MaxDetectionsPerImage | Should -Be 5
        Assert-Replay $trials $detections
    }
    It 'with -ClassAgnostic' {
        $trials = $detections | Optimize-Fusion @quick -ClassAgnostic
        $trials[0].Parameters.ClassAgnostic | Should -BeTrue
        Assert-Replay $trials $detections
    }
    It 'with -MinVotes' {
        $trials = $detections | Optimize-Fusion @quick -MinVotes 2
        Assert-Replay $trials $detections
    }
    It 'with -Voting, whose number of votes follows the models a trial keeps' {
        $trials = $detections | Optimize-Fusion @quick -Voting Consensus -MaxTrials 12
        @($trials | Where-Object { $_.Weights -contains 0 }).Count | Should -BeGreaterThan 0 -Because 'a trial that drops a model needs fewer votes'
        Assert-Replay $trials $detections
    }
    It 'with -ImageInfo clipping, without giving -ImageInfo again' {
        # Widen every yolox box past the right edge, so that clipping changes the result.
        $wide = foreach ($d in $detections) {
            if ($d.Model -eq 'yolox') { $d = $d.Clone(); $d.Width += 400 }
            $d
        }
        $clipped = ($wide | Merge-Detection -ImageInfo $SampleTruth | Measure-Detection -GroundTruth $SampleTruth).AP
        $unclipped = ($wide | Merge-Detection | Measure-Detection -GroundTruth $SampleTruth).AP
        $clipped | Should -Not -Be $unclipped -Because 'the test needs boxes that clipping changes'
        $trials = $wide | Optimize-Fusion @quick -ImageInfo $SampleTruth
        Assert-Replay $trials $wide
    }
    It 'gives -ImageInfo as a full path, so the replay works from another folder' {
        Push-Location $SampleFolder
        try { $trials = $detections | Optimize-Fusion @quick -MaxTrials 1 -ImageInfo gt.json }
        finally { Pop-Location }
        $trials[0].Parameters.ImageInfo | Should -Be (Resolve-Path $SampleTruth).Path
    }
    It 'gives -ImageInfo records as they were given' {
        $records = (Get-Content $SampleTruth -Raw | ConvertFrom-Json).images
        $trials = $detections | Optimize-Fusion @quick -MaxTrials 1 -ImageInfo $records
        $trials[0].Parameters.ImageInfo.Count | Should -Be $records.Count
        Assert-Replay $trials $detections
    }
}

Describe 'Optimize-Fusion and $BoxFusionTrials after Ctrl+C' {
    It 'keeps the trials finished before the search was stopped' {
        $ps = [powershell]::Create()
        # A long search (4 methods x 41 IoU thresholds), stopped once a trial has finished.
        $iou = (0..40 | ForEach-Object { 0.4 + 0.01 * $_ }) -join ','
        $null = $ps.AddScript("Import-Module '$ModulePath'; `$global:BoxFusionTrials = 'from an earlier search'; Optimize-Fusion -Path '$($SampleModels -join "','")' -GroundTruth '$SampleTruth' -IouThreshold $iou -MaxTrials 1000")
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline -and
            -not ($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Optimizing fusion' -and $_.StatusDescription -match '^[1-9]' })) { Start-Sleep -Milliseconds 50 }
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $kept = @($ps.Runspace.SessionStateProxy.GetVariable('BoxFusionTrials'))
        $kept.Count | Should -BeGreaterThan 0
        $kept.Count | Should -BeLessThan 164 -Because 'the search was stopped part-way'
        $kept[0] | Should -BeOfType ([BoxFusion.Optimization.FusionTrial])
        ($kept | ForEach-Object Rank) | Should -Be (1..$kept.Count) -Because "Array has a Rank of its own"
        $kept.Score | Should -Be ($kept.Score | Sort-Object -Descending)
        $ps.Dispose()
    }
    It 'is cleared when a new search starts' {
        $global:BoxFusionTrials = 'from an earlier search'
        { $detections | Optimize-Fusion @quick -Folds 0 } | Should -Throw
        $global:BoxFusionTrials | Should -Be 'from an earlier search' -Because 'a command line that does not bind starts no search'
        { $detections | Optimize-Fusion @quick -GroundTruth (Join-Path $SampleFolder 'missing.json') -ErrorAction Stop } | Should -Throw -ErrorId 'GroundTruthNotFound*'
        @($global:BoxFusionTrials).Count | Should -Be 0 -Because 'the trials of an earlier search must not pass for this one'
        $trials = $detections | Optimize-Fusion @quick -MaxTrials 2
        $global:BoxFusionTrials.Count | Should -Be 2
        $global:BoxFusionTrials[0] | Should -Be $trials[0]
    }
}

Describe 'Optimize-Fusion -Folds' {
    It 'is an error naming both numbers when there are more folds than images' {
        $folder = New-TestFolder
        try {
            $json = Get-Content $SampleTruth -Raw | ConvertFrom-Json
            $ids = $json.images[0..2].id
            $json.images = @($json.images[0..2])
            $json.annotations = @($json.annotations | Where-Object image_id -In $ids)
            $small = Join-Path $folder 'gt3.json'
            $json | ConvertTo-Json -Depth 10 | Set-Content $small
            $few = $detections | Where-Object ImageId -In $ids
            $err = { $few | Optimize-Fusion -GroundTruth $small -Folds 4 -MaxTrials 2 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'TooManyFolds,BoxFusion.Commands.OptimizeFusionCommand'
            $err.Exception.Message | Should -Match '\b4\b.*\b3\b'
            @($few | Optimize-Fusion -GroundTruth $small -Folds 3 -MaxTrials 2).Count | Should -Be 2
        }
        finally { Remove-Item $folder -Recurse -Force }
    }
}

Describe 'Optimize-Fusion progress' {
    It 'ends at 100% of the trials it planned and shows the best score so far' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Optimize-Fusion -Path '$($SampleModels -join "','")' -GroundTruth '$SampleTruth' -Method WBF -IouThreshold 0.5, 0.6 -NoWeightSearch")
        $trials = $ps.Invoke()
        $records = @($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Optimizing fusion' -and $_.RecordType -ne 'Completed' })
        $records.Count | Should -BeGreaterThan 0
        $records[-1].PercentComplete | Should -Be 100
        $percents = $records.PercentComplete
        $percents | Should -Be ($percents | Sort-Object) -Because 'the bar never goes back'
        $records[-1].StatusDescription | Should -BeLike ('*best AP {0}*' -f $trials[0].Score.ToString('0.0000', [cultureinfo]::InvariantCulture))
        $ps.Dispose()
    }
}

Describe 'Optimize-Fusion and fused scores above 1' {
    It 'ranks an equal-score trial whose scores stay in [0, 1] before a WBF Avg trial with scores above 1' {
        $folder = New-TestFolder
        try {
            $truth = Join-Path $folder 'gt.json'
            @{
                images      = @(@{ id = 1; width = 400; height = 400; file_name = '1.jpg' })
                annotations = @(@{ id = 1; image_id = 1; category_id = 1; bbox = 10, 10, 50, 50; area = 2500; iscrowd = 0 })
                categories  = @(@{ id = 1; name = 'thing' })
            } | ConvertTo-Json -Depth 5 | Set-Content $truth
            # A true box that model b finds twice with high scores, and a false one that model a is sure of:
            # equal weights rank the false box first; weighting b 3 ranks the true one first, and WBF Avg then
            # scores it (0.5 + 3 * 0.95 * 2) / 3 * 2 / 4 = 1.03, while BoxAndModelAvg gives the same order in [0, 1].
            $boxes = @(
                @{ Model = 'a'; Score = 0.5; X = 10 }, @{ Model = 'b'; Score = 0.95; X = 10 }, @{ Model = 'b'; Score = 0.95; X = 10 },
                @{ Model = 'a'; Score = 1.0; X = 200 }, @{ Model = 'b'; Score = 0.75; X = 200 }, @{ Model = 'b'; Score = 0.75; X = 200 }
            ) | ForEach-Object { [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = $_.Score; X = $_.X; Y = 10; Width = 50; Height = 50; Model = $_.Model } } | New-Detection
            $trials = $boxes | Optimize-Fusion -GroundTruth $truth -Method WBF -IouThreshold 0.5 -SkipBoxThreshold 0 -ConfidenceType Avg, BoxAndModelAvg -WeightValues 1, 3 -WarningAction SilentlyContinue
            $overflowing = $trials | Where-Object { $_.ConfidenceType -eq 'Avg' -and $_.Score -eq $trials[0].Score -and $_.WeightText -eq 'a=1 b=3' }
            @($overflowing).Count | Should -BeGreaterThan 0 -Because 'the test needs an Avg trial with scores above 1 that ties the best'
            $overflowing[0].ScoresAboveOne | Should -BeGreaterThan 0
            $trials[0].Score | Should -BeGreaterThan 0.999 -Because 'weighting b 3 finds the true box first'
            $trials[0].ConfidenceType | Should -Be 'BoxAndModelAvg'
            $trials[0].ScoresAboveOne | Should -Be 0
            $p = $trials[0].Parameters
            $null = $boxes | Merge-Detection @p -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
        }
        finally { Remove-Item $folder -Recurse -Force }
    }
}

Describe '-MinVotes above the number of models' {
    It 'warns in Merge-Detection that nothing can pass' {
        $out = $detections | Merge-Detection -MinVotes 4 -WarningVariable warnings -WarningAction SilentlyContinue
        @($out).Count | Should -Be 0
        "$warnings" | Should -Match 'MinVotes 4.*3 models'
    }
    It 'counts only the models with a positive weight' {
        $null = $detections | Merge-Detection -MinVotes 3 -Weight @{ cascade = 0 } -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'MinVotes 3.*2 models'
    }
    It 'does not warn when the votes can be reached' {
        $null = $detections | Merge-Detection -MinVotes 3 -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
    }
    It 'warns in Optimize-Fusion that nothing can pass' {
        $null = $detections | Optimize-Fusion @quick -MaxTrials 1 -MinVotes 4 -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'MinVotes 4.*3 models'
    }
}
