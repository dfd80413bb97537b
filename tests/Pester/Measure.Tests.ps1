BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $cases = foreach ($fixture in 'case-a', 'case-b') {
        $manifest = Get-Content (Join-Path $DataRoot "$fixture/manifest.json") -Raw | ConvertFrom-Json
        foreach ($m in $manifest.models) { @{ Fixture = $fixture; File = $m.file; Stats = [double[]]$m.cocoStats } }
        foreach ($r in $manifest.runs) { @{ Fixture = $fixture; File = $r.expected; Stats = [double[]]$r.cocoStats } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
}

Describe 'Measure-Detection equals pycocotools' {
    It 'coco-fake100 (crowd annotations included)' {
        $expected = 0.5045806987249628, 0.6969727247299577, 0.5729816669904824, 0.5856257209410443,
            0.5193996948036719, 0.5013978986347466, 0.38681277964578054, 0.5936795762842003,
            0.595352982877607, 0.6398109626113442, 0.5664205978994309, 0.5642905982905982
        $r = Measure-Detection -GroundTruth (Join-Path $DataRoot 'coco-fake100/instances_val2014_100.json') -Path (Join-Path $DataRoot 'coco-fake100/instances_val2014_fakebbox100_results.json')
        Assert-Stats $r.Stats $expected
        $r.AP | Should -Be $r.Stats[0]
        $r.ARLarge | Should -Be $r.Stats[11]
    }

    It '<Fixture> <File>' -ForEach $cases {
        $r = Import-Detection (Join-Path $DataRoot "$Fixture/$File") -WarningAction SilentlyContinue |
            Measure-Detection -GroundTruth (Join-Path $DataRoot "$Fixture/gt.json")
        Assert-Stats $r.Stats $Stats
    }
}

Describe 'Measure-Detection in the pipeline' {
    BeforeAll {
        $all = Import-Detection $SampleModels
    }

    It 'gives one result per model with -GroupBy Model, equal to scoring each file alone' {
        $rows = $all | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model
        $rows.Name | Should -Be 'yolox', 'cascade', 'detr'
        $alone = Measure-Detection -GroundTruth $SampleTruth -Path $SampleModels[1] -GroupBy Model
        $rows[1].Stats | Should -Be $alone.Stats
        $rows[0] | Should -BeOfType BoxFusion.Evaluation.EvaluationResult
    }

    It 'scores a fused result, which beats the best single model on the sample' {
        $best = ($all | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model | Measure-Object AP -Maximum).Maximum
        $fused = $all | Merge-Detection -ImageInfo $SampleTruth | Measure-Detection -GroundTruth $SampleTruth
        $fused.Name | Should -Be '(all)'
        $fused.AP | Should -BeGreaterThan $best
    }

    It 'gives AP per category with its name' {
        $rows = Import-Detection $SampleModels[0] | Measure-Detection -GroundTruth $SampleTruth -PerCategory
        $rows.Count | Should -Be (Get-Content $SampleTruth -Raw | ConvertFrom-Json).categories.Count
        $rows[0].Name | Should -Not -BeNullOrEmpty
    }

    It 'maps file-name image ids through the ground truth, and names an image it does not have' {
        $caseB = Join-Path $DataRoot 'case-b'
        (Import-Detection (Join-Path $caseB 'model1.json') | Measure-Detection (Join-Path $caseB 'gt.json')).AP | Should -BeGreaterThan 0
        $stray = [BoxFusion.Detection]::new('nope.jpg', 1, 0.5, 1, 1, 5, 5, 'm')
        { $stray | Measure-Detection (Join-Path $caseB 'gt.json') -ErrorAction Stop } | Should -Throw -ErrorId 'ImageNotInGroundTruth,BoxFusion.Commands.MeasureDetectionCommand' -ExpectedMessage '*"nope.jpg"*'
    }

    It 'scores an empty input like pycocotools (0 for categories with ground truth)' {
        $r = @() | Measure-Detection -GroundTruth $SampleTruth
        $r.AP | Should -Be 0
    }

    It 'shows results as a readable table' {
        $text = $all | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model | Out-String
        $text | Should -Match 'Name\s+AP\s+AP50'
        $text | Should -Match 'yolox\s+0\.\d{3}'
    }
}

Describe 'Measure-Detection -Path reads values, not objects, and scores as piped objects do' {
    BeforeAll {
        function Get-Rows($rows) {
            $rows | ForEach-Object { ($_.PSObject.Properties | Where-Object Name -ne 'PrecisionRecall' | ForEach-Object { '{0}={1:R}' -f $_.Name, ($_.Value -join ',') }) -join ';' }
        }
        $fake = Join-Path $DataRoot 'coco-fake100'
        $fakeTruth = Join-Path $fake 'instances_val2014_100.json'
    }

    It 'the same rows for -GroupBy <GroupBy> -PerCategory:<PerCategory> -Model <Models>' -ForEach @(
        @{ GroupBy = 'None'; PerCategory = $false; Models = 'a', 'b', 'c' }, @{ GroupBy = 'None'; PerCategory = $true; Models = 'a', 'b', 'c' }
        @{ GroupBy = 'Model'; PerCategory = $false; Models = 'a', 'b', 'c' }, @{ GroupBy = 'Model'; PerCategory = $true; Models = 'a', 'b', 'c' }
        @{ GroupBy = 'Model'; PerCategory = $false; Models = @('one') }   # every file under one name: one group
    ) {
        $files = $SampleModels
        $models = $Models
        $byPath = Measure-Detection -GroundTruth $SampleTruth -Path $files -Model $models -GroupBy $GroupBy -PerCategory:$PerCategory -MaxDetections 1, 5, 50 -WarningVariable pathWarnings -WarningAction SilentlyContinue
        $piped = Import-Detection -Path $files -Model $models | Measure-Detection -GroundTruth $SampleTruth -GroupBy $GroupBy -PerCategory:$PerCategory -MaxDetections 1, 5, 50 -WarningVariable pipedWarnings -WarningAction SilentlyContinue
        Get-Rows $byPath | Should -Be (Get-Rows $piped)
        "$pathWarnings" | Should -Be "$pipedWarnings"
        if (-not $PerCategory) {
            foreach ($i in 0..($byPath.Count - 1)) {
                $a = [System.Linq.Enumerable]::Cast[double]($byPath[$i].PrecisionRecall.Precision.ToArray())
                $b = [System.Linq.Enumerable]::Cast[double]($piped[$i].PrecisionRecall.Precision.ToArray())
                [System.Linq.Enumerable]::SequenceEqual($a, $b) | Should -BeTrue
            }
        }
    }

    It 'a results file without bboxes (boxes and areas from the masks), scored as bbox' {
        $file = Join-Path $fake 'instances_val2014_fakesegm100_results.json'
        $byPath = Measure-Detection -GroundTruth $fakeTruth -Path $file
        $piped = Import-Detection $file | Measure-Detection -GroundTruth $fakeTruth
        $byPath.Stats | Should -Be $piped.Stats
        $byPath.DetectionCount | Should -Be $piped.DetectionCount
    }

    It 'names the file of bad records and the detection on an unknown image, as before' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content $bad '[{"image_id": 42, "category_id": 18, "bbox": [1, 2, 3, 4], "score": 0.5}, {"image_id": 42, "category_id": 18, "bbox": [1, 2, 3], "score": 0.5}, {"image_id": 7, "category_id": 18, "bbox": [1, 2, 3, 4], "score": 0.5}]'
        $null = Measure-Detection -GroundTruth $fakeTruth -Path $bad -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'SkippedRecords*,BoxFusion.Commands.MeasureDetectionCommand'
        "$($errors[0])" | Should -BeLike "*bad.json*record 1*"
        $errors[1].FullyQualifiedErrorId | Should -Be 'ImageNotInGroundTruth,BoxFusion.Commands.MeasureDetectionCommand'
        "$($errors[1])" | Should -BeLike 'Detection 1 is on image 7,*'
    }
}
